use super::*;

fn ring() -> Keyring {
    Keyring::new(Keys::generate("k1"))
}

#[test]
fn round_trip() {
    let ring = ring();
    for plain in ["110101199003071234", "13800138000", "", "张三 含中文"] {
        let stored = ring.encrypt("person.id_no", plain);
        assert!(stored.starts_with("k1$"), "{stored}");
        assert!(stored.is_ascii());
        assert_eq!(ring.decrypt("person.id_no", &stored).unwrap(), plain);
    }
}

#[test]
fn same_plaintext_encrypts_differently() {
    let ring = ring();
    assert_ne!(ring.encrypt("a", "x"), ring.encrypt("a", "x"));
}

#[test]
fn wrong_aad_fails() {
    let ring = ring();
    let stored = ring.encrypt("person.id_no", "110101199003071234");
    assert!(matches!(
        ring.decrypt("person.phone", &stored),
        Err(CryptoError::DecryptFailed)
    ));
}

#[test]
fn tampered_ciphertext_fails() {
    let ring = ring();
    let stored = ring.encrypt("person.phone", "13800138000");
    // Flip one hex digit in every position of the payload: each must be rejected.
    let sep = stored.find('$').unwrap();
    for i in sep + 1..stored.len() {
        let mut bytes = stored.clone().into_bytes();
        bytes[i] = if bytes[i] == b'0' { b'1' } else { b'0' };
        let tampered = String::from_utf8(bytes).unwrap();
        assert!(
            ring.decrypt("person.phone", &tampered).is_err(),
            "position {i} accepted"
        );
    }
    // Truncated and garbage values are rejected too.
    assert!(matches!(
        ring.decrypt("person.phone", &stored[..stored.len() - 2]),
        Err(CryptoError::DecryptFailed)
    ));
    assert!(matches!(
        ring.decrypt("person.phone", "k1$abcd"),
        Err(CryptoError::MalformedCiphertext)
    ));
    assert!(matches!(
        ring.decrypt("person.phone", "k1$zz"),
        Err(CryptoError::MalformedCiphertext)
    ));
    assert!(matches!(
        ring.decrypt("person.phone", "13800138000"),
        Err(CryptoError::MalformedCiphertext)
    ));
}

#[test]
fn ciphertext_from_another_key_with_same_id_fails() {
    let a = Keyring::new(Keys::generate("k1"));
    let b = Keyring::new(Keys::generate("k1"));
    let stored = a.encrypt("c", "v");
    assert!(matches!(
        b.decrypt("c", &stored),
        Err(CryptoError::DecryptFailed)
    ));
}

#[test]
fn unknown_key_id_fails() {
    let old = Keyring::new(Keys::generate("k0"));
    let stored = old.encrypt("c", "v");
    let err = ring().decrypt("c", &stored).unwrap_err();
    assert!(matches!(&err, CryptoError::UnknownKeyId(id) if id == "k0"));
    assert!(err.to_string().contains("k0"), "{err}");
}

#[test]
fn old_key_decrypts_after_rotation() {
    let k1 = Keys::generate("k1");
    let before = Keyring::new(k1.clone());
    let stored_old = before.encrypt("person.id_no", "110101199003071234");

    let after = Keyring::new(Keys::generate("k2")).with_old(vec![k1]);
    assert_eq!(after.key_id(), "k2");
    assert_eq!(after.key_ids().collect::<Vec<_>>(), ["k2", "k1"]);
    assert_eq!(
        after.decrypt("person.id_no", &stored_old).unwrap(),
        "110101199003071234"
    );
    let stored_new = after.encrypt("person.id_no", "x");
    assert!(stored_new.starts_with("k2$"));
    assert_eq!(after.decrypt("person.id_no", &stored_new).unwrap(), "x");
    assert!(matches!(
        before.decrypt("person.id_no", &stored_new),
        Err(CryptoError::UnknownKeyId(_))
    ));
}

#[test]
fn with_old_ignores_duplicate_ids() {
    let k1 = Keys::generate("k1");
    let ring = Keyring::new(k1.clone()).with_old([Keys::generate("k1")]);
    assert_eq!(ring.key_ids().count(), 1);
    let stored = Keyring::new(k1).encrypt("c", "v");
    assert_eq!(ring.decrypt("c", &stored).unwrap(), "v");
}

#[test]
fn blind_index_deterministic_and_kind_separated() {
    let keys = Keys::generate("k1");
    let a = Keyring::new(keys.clone());
    let b = Keyring::new(keys);
    let idx = a.blind_index("id_no", "110101199003071234");
    assert_eq!(idx.len(), 64);
    assert_eq!(idx, a.blind_index("id_no", "110101199003071234"));
    assert_eq!(idx, b.blind_index("id_no", "110101199003071234"));
    assert_ne!(idx, a.blind_index("phone", "110101199003071234"));
    assert_ne!(idx, a.blind_index("id_no", "110101199003071235"));
    // The 0x00 separator keeps ("ab", "c") and ("a", "bc") apart.
    assert_ne!(a.blind_index("ab", "c"), a.blind_index("a", "bc"));
    // A different index key gives unrelated tokens.
    assert_ne!(idx, ring().blind_index("id_no", "110101199003071234"));
}

#[test]
fn blind_index_is_hmac_sm3() {
    // Independent computation of HMAC (RFC 2104) over SM3, to pin the construction.
    let keys = Keys::from_parts("k1", &"11".repeat(16), &"22".repeat(32)).unwrap();
    let ring = Keyring::new(keys);
    let mut ipad = [0x36u8; 64];
    let mut opad = [0x5cu8; 64];
    for i in 0..32 {
        ipad[i] ^= 0x22;
        opad[i] ^= 0x22;
    }
    let inner = Sm3::new()
        .chain_update(ipad)
        .chain_update(b"id_no\x00110101199003071234")
        .finalize();
    let outer = Sm3::new().chain_update(opad).chain_update(inner).finalize();
    assert_eq!(
        ring.blind_index("id_no", "110101199003071234"),
        hex::encode(outer)
    );
}

#[test]
fn sm3_standard_vector() {
    assert_eq!(
        sm3_hex(b"abc"),
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    );
}

#[test]
fn chain_hash_links() {
    assert_eq!(GENESIS.len(), 64);
    let h1 = chain_hash(GENESIS, "record one");
    assert_eq!(h1, sm3_hex(format!("{GENESIS}\nrecord one").as_bytes()));
    let h2 = chain_hash(&h1, "record two");
    assert_ne!(h2, chain_hash(GENESIS, "record two"));
}

#[test]
fn tokens() {
    let t = random_token();
    assert_eq!(t.len(), 64);
    assert!(t.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_ne!(t, random_token());
    assert_eq!(sm3_token_hash(&t), sm3_hex(t.as_bytes()));
    assert_ne!(sm3_token_hash(&t), t);
}

#[test]
fn debug_redacts_keys() {
    let keys = Keys::from_parts("k9", &"ab".repeat(16), &"cd".repeat(32)).unwrap();
    let ring = Keyring::new(keys.clone());
    for text in [
        format!("{keys:?}"),
        format!("{ring:?}"),
        format!("{ring:#?}"),
    ] {
        assert!(text.contains("k9"), "{text}");
        assert!(!text.contains("abab"), "{text}");
        assert!(!text.contains("cdcd"), "{text}");
        assert!(!text.contains("171"), "{text}"); // 0xab as decimal
    }
}

#[test]
fn from_parts_validates() {
    assert!(Keys::from_parts("k1", &"00".repeat(16), &"00".repeat(32)).is_ok());
    for (id, enc, index) in [
        ("", "00".repeat(16), "00".repeat(32)),
        ("k$1", "00".repeat(16), "00".repeat(32)),
        ("k1", "00".repeat(15), "00".repeat(32)),
        ("k1", "zz".repeat(16), "00".repeat(32)),
        ("k1", "00".repeat(16), "00".repeat(16)),
    ] {
        let err = Keys::from_parts(id, &enc, &index).unwrap_err();
        assert!(matches!(err, CryptoError::InvalidKey(_)), "{err}");
    }
}

#[test]
fn key_file_created_0600_and_reloaded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dir/keys.txt");
    let (created, was_created) = Keys::load_or_create(&path).unwrap();
    assert!(was_created);
    assert_eq!(created.key_id, "k1");
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(!permissions_too_open(&path));

    let text = fs::read_to_string(&path).unwrap();
    assert!(text.starts_with('#'));
    assert!(text.contains("key_id=k1\n"));

    let (loaded, was_created) = Keys::load_or_create(&path).unwrap();
    assert!(!was_created);
    assert_eq!(loaded.key_id, created.key_id);
    assert_eq!(loaded.enc, created.enc);
    assert_eq!(loaded.index, created.index);

    // Data encrypted before a restart is readable after it.
    let stored = Keyring::new(created).encrypt("c", "v");
    assert_eq!(Keyring::new(loaded).decrypt("c", &stored).unwrap(), "v");

    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    assert!(permissions_too_open(&path));
}

#[test]
fn write_new_file_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.txt");
    Keys::generate("k1").write_new_file(&path).unwrap();
    let before = fs::read_to_string(&path).unwrap();
    assert!(Keys::generate("k2").write_new_file(&path).is_err());
    assert_eq!(fs::read_to_string(&path).unwrap(), before);
}

#[test]
fn malformed_key_file_errors_name_path_and_problem() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.txt");
    let good_enc = "00".repeat(16);
    let good_index = "00".repeat(32);
    let cases = [
        (format!("key_id=k1\nenc={good_enc}\n"), "index"),
        (format!("key_id=k1\nenc=abc\nindex={good_index}\n"), "32 位"),
        (
            format!("key_id=k1\nenc={good_enc}\nindex={good_index}\nbogus\n"),
            "第 4 行",
        ),
        (
            format!("key_id=k1\nkey_id=k2\nenc={good_enc}\nindex={good_index}\n"),
            "重复",
        ),
        (String::new(), "key_id"),
    ];
    for (text, expected) in cases {
        fs::write(&path, text).unwrap();
        let err = Keys::load_or_create(&path).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, CryptoError::KeyFile { .. }), "{msg}");
        assert!(msg.contains(path.to_str().unwrap()), "{msg}");
        assert!(msg.contains(expected), "{msg} should mention {expected}");
    }
    // Comments and blank lines are fine.
    fs::write(
        &path,
        format!("# c\n\n key_id = k7 \nenc={good_enc}\nindex={good_index}\n"),
    )
    .unwrap();
    assert_eq!(Keys::load_or_create(&path).unwrap().0.key_id, "k7");
}

/// Throughput of the import hot path (2 encryptions + 2 blind indexes per row).
/// Run: `cargo test --release -p wenjiu-crypto -- --ignored --nocapture throughput`
#[test]
#[ignore]
fn throughput() {
    let ring = ring();
    let rows = 200_000;
    let start = std::time::Instant::now();
    let mut sink = 0usize;
    for i in 0..rows {
        let id = format!("11010119900307{:04}", i % 10_000);
        let phone = format!("138{:08}", i);
        sink += ring.encrypt("person.id_no", &id).len();
        sink += ring.encrypt("person.phone", &phone).len();
        sink += ring.blind_index("id_no", &id).len();
        sink += ring.blind_index("phone", &phone).len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{rows} rows in {secs:.2}s: {:.0} rows/s (2 encrypt + 2 blind_index each)",
        f64::from(rows) / secs
    );
    let start = std::time::Instant::now();
    for i in 0..rows {
        sink += ring
            .encrypt("person.id_no", &format!("11010119900307{:04}", i % 10_000))
            .len();
    }
    let enc = f64::from(rows) / start.elapsed().as_secs_f64();
    let start = std::time::Instant::now();
    for i in 0..rows {
        sink += ring
            .blind_index("id_no", &format!("11010119900307{:04}", i % 10_000))
            .len();
    }
    let idx = f64::from(rows) / start.elapsed().as_secs_f64();
    let stored = ring.encrypt("person.id_no", "110101199003071234");
    let start = std::time::Instant::now();
    for _ in 0..rows {
        sink += ring.decrypt("person.id_no", &stored).unwrap().len();
    }
    let dec = f64::from(rows) / start.elapsed().as_secs_f64();
    println!("encrypt {enc:.0}/s, blind_index {idx:.0}/s, decrypt {dec:.0}/s (sink {sink})");
}

#[test]
fn sm4_gcm_known_answer() {
    // RFC 8998, appendix A.1: pins that the cipher really is SM4-GCM.
    let key = hex::decode("0123456789ABCDEFFEDCBA9876543210").unwrap();
    let nonce = hex::decode("00001234567800000000ABCD").unwrap();
    let aad = hex::decode("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2").unwrap();
    let mut data = hex::decode(
        "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD\
         EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA",
    )
    .unwrap();
    let cipher = Sm4Gcm::new_from_slice(&key).unwrap();
    let nonce = Array::<u8, U12>::try_from(&nonce[..]).unwrap();
    let tag = cipher
        .encrypt_inout_detached(&nonce, &aad, data.as_mut_slice().into())
        .unwrap();
    assert_eq!(
        hex::encode_upper(&data),
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735\
         D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
    );
    assert_eq!(hex::encode_upper(tag), "83DE3541E4C2B58177E065A9BF7B62EC");
}

#[test]
fn shareable_across_threads() {
    fn check<T: Send + Sync>() {}
    check::<Keyring>();
    check::<Keys>();
    check::<CryptoError>();
}

#[test]
fn invalid_key_id_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.txt");
    let err = Keys::generate("bad\nid").write_new_file(&path).unwrap_err();
    assert!(matches!(err, CryptoError::InvalidKey(_)));
    assert!(!path.exists());
}
