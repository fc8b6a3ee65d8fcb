//! Personal-data protection for wenjiu, using the SM algorithms required by GB/T 39786.
//!
//! - ID and phone numbers are stored encrypted with SM4-GCM ([`Keyring::encrypt`]); the
//!   associated data names the column, so a ciphertext copied into another column fails.
//! - Exact-match search over encrypted columns uses a blind index
//!   ([`Keyring::blind_index`], HMAC-SM3 under a separate key), so the database never
//!   needs the plaintext to find a person.
//! - The append-only audit log is chained with SM3 ([`chain_hash`]).
//! - Session tokens are random ([`random_token`]) and only their SM3 hash is stored
//!   ([`sm3_token_hash`]).

use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use aes_gcm::AesGcm;
use aes_gcm::aead::array::Array;
use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{AeadInOut, KeyInit};
use hmac::{Hmac, Mac};
use rand::{Rng, TryRng};
use sm3::{Digest, Sm3};
use sm4::Sm4;

/// SM4 in GCM mode with the standard 96-bit nonce and 128-bit tag.
type Sm4Gcm = AesGcm<Sm4, U12>;
type HmacSm3 = Hmac<Sm3>;

const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const ENC_KEY_LEN: usize = 16;
const INDEX_KEY_LEN: usize = 32;

/// Separates the key id from the payload in a stored ciphertext.
const CIPHERTEXT_SEPARATOR: char = '$';

/// The `prev` hash of the first record of a hash chain ([`chain_hash`]).
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Errors of this crate. The Display texts are shown to users and are in Chinese.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// The key file exists but cannot be understood.
    #[error("密钥文件 {path} 格式错误：{problem}")]
    KeyFile { path: PathBuf, problem: String },

    /// The key file (or its folder) could not be read or written.
    #[error("无法读写密钥文件 {path}：{reason}")]
    KeyFileIo {
        path: PathBuf,
        reason: String,
        #[source]
        source: io::Error,
    },

    /// Key material given by configuration is unusable.
    #[error("密钥参数无效：{0}")]
    InvalidKey(String),

    /// A stored value is not of the form `<key id>$<hex>`.
    #[error("密文格式不正确，数据可能已损坏")]
    MalformedCiphertext,

    /// A stored value names a key this keyring does not hold.
    #[error("找不到编号为“{0}”的密钥，无法解密；请确认旧密钥仍已配置")]
    UnknownKeyId(String),

    /// Authentication failed: wrong key, wrong column, or tampered data.
    #[error("解密失败：数据已被篡改或损坏，或不属于此字段")]
    DecryptFailed,
}

/// Result type of this crate.
pub type Result<T> = std::result::Result<T, CryptoError>;

/// One generation of key material: an SM4 key for field encryption and an HMAC-SM3 key
/// for the blind index, both identified by `key_id` (which is written into every
/// ciphertext so that old data stays readable after rotation).
#[derive(Clone)]
pub struct Keys {
    pub key_id: String,
    enc: [u8; ENC_KEY_LEN],
    index: [u8; INDEX_KEY_LEN],
}

impl fmt::Debug for Keys {
    /// Never prints key bytes: Debug output ends up in logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keys")
            .field("key_id", &self.key_id)
            .field("enc", &"<已隐藏>")
            .field("index", &"<已隐藏>")
            .finish()
    }
}

impl Drop for Keys {
    /// Best effort: do not leave key bytes in freed memory.
    fn drop(&mut self) {
        self.enc.fill(0);
        self.index.fill(0);
        std::hint::black_box(&self.enc);
        std::hint::black_box(&self.index);
    }
}

const KEY_FILE_HEADER: &str = "\
# wenjiu 个人信息加密密钥（SM4 字段加密密钥 + HMAC-SM3 盲索引密钥）。
# 请妥善备份并严格限制访问权限：丢失此文件后，已加密的身份证号、手机号将永远无法解密。
";

impl Keys {
    /// Fresh keys from the operating system's random source. `key_id` should be
    /// short ASCII (letters, digits, `-`, `_`, `.`); [`Keys::write_new_file`] refuses
    /// other ids.
    ///
    /// # Panics
    /// If the OS random source fails, which leaves no safe way to continue.
    pub fn generate(key_id: &str) -> Keys {
        let mut enc = [0u8; ENC_KEY_LEN];
        let mut index = [0u8; INDEX_KEY_LEN];
        os_random(&mut enc);
        os_random(&mut index);
        Keys {
            key_id: key_id.to_owned(),
            enc,
            index,
        }
    }

    /// Keys given as hex text, e.g. from configuration or environment variables.
    pub fn from_parts(key_id: &str, enc_hex: &str, index_hex: &str) -> Result<Keys> {
        validate_key_id(key_id).map_err(CryptoError::InvalidKey)?;
        let enc = parse_hex_key::<ENC_KEY_LEN>("enc", enc_hex).map_err(CryptoError::InvalidKey)?;
        let index =
            parse_hex_key::<INDEX_KEY_LEN>("index", index_hex).map_err(CryptoError::InvalidKey)?;
        Ok(Keys {
            key_id: key_id.to_owned(),
            enc,
            index,
        })
    }

    /// Loads the key file at `path`, or creates it (key id "k1", mode 0600, parent
    /// folders 0700) when it does not exist. The flag is true when the file was created,
    /// so the caller can tell the operator to back it up.
    pub fn load_or_create(path: &Path) -> Result<(Keys, bool)> {
        match fs::read_to_string(path) {
            Ok(text) => return Ok((Self::parse_file(path, &text)?, false)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(file_io(path, e)),
        }
        let keys = Keys::generate("k1");
        match keys.write_new_file(path) {
            Ok(()) => Ok((keys, true)),
            // Another process created it between our read and our create: use theirs.
            Err(CryptoError::KeyFileIo { source, .. })
                if source.kind() == io::ErrorKind::AlreadyExists =>
            {
                Ok((Self::load_racing(path)?, false))
            }
            Err(e) => Err(e),
        }
    }

    /// Reads a key file that another process may still be writing.
    fn load_racing(path: &Path) -> Result<Keys> {
        let mut last = None;
        for _ in 0..10 {
            let text = fs::read_to_string(path).map_err(|e| file_io(path, e))?;
            match Self::parse_file(path, &text) {
                Ok(keys) => return Ok(keys),
                Err(e) => last = Some(e),
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Err(last.unwrap_or(CryptoError::KeyFile {
            path: path.to_owned(),
            problem: "文件内容为空".to_owned(),
        }))
    }

    /// Writes these keys to a new file with mode 0600; never overwrites an existing
    /// file (losing a key file makes data unreadable). Useful for key rotation tools.
    pub fn write_new_file(&self, path: &Path) -> Result<()> {
        // The id goes into a line-based file and into every ciphertext.
        validate_key_id(&self.key_id).map_err(CryptoError::InvalidKey)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(|e| file_io(dir, e))?;
        }
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|e| file_io(path, e))?;
        let written = file
            .write_all(self.file_text().as_bytes())
            .and_then(|()| file.sync_all());
        if let Err(e) = written {
            // A half-written key file would block the next start; it holds no data yet.
            drop(file);
            let _ = fs::remove_file(path);
            return Err(file_io(path, e));
        }
        Ok(())
    }

    fn file_text(&self) -> String {
        format!(
            "{KEY_FILE_HEADER}key_id={}\nenc={}\nindex={}\n",
            self.key_id,
            hex::encode(self.enc),
            hex::encode(self.index)
        )
    }

    fn parse_file(path: &Path, text: &str) -> Result<Keys> {
        let bad = |problem: String| CryptoError::KeyFile {
            path: path.to_owned(),
            problem,
        };
        let (mut key_id, mut enc, mut index) = (None, None, None);
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((name, value)) = line.split_once('=') else {
                return Err(bad(format!("第 {} 行缺少“=”", n + 1)));
            };
            let slot = match name.trim() {
                "key_id" => &mut key_id,
                "enc" => &mut enc,
                "index" => &mut index,
                other => return Err(bad(format!("第 {} 行有未知的项“{other}”", n + 1))),
            };
            if slot.replace(value.trim()).is_some() {
                return Err(bad(format!("第 {} 行重复设置了“{}”", n + 1, name.trim())));
            }
        }
        let missing = |name: &str| bad(format!("缺少“{name}”一项"));
        let key_id = key_id.ok_or_else(|| missing("key_id"))?;
        let enc = enc.ok_or_else(|| missing("enc"))?;
        let index = index.ok_or_else(|| missing("index"))?;
        validate_key_id(key_id).map_err(bad)?;
        Ok(Keys {
            key_id: key_id.to_owned(),
            enc: parse_hex_key::<ENC_KEY_LEN>("enc", enc).map_err(bad)?,
            index: parse_hex_key::<INDEX_KEY_LEN>("index", index).map_err(bad)?,
        })
    }
}

/// True when the key file can be read or written by group or others; the caller should
/// log a warning. False when the file cannot be inspected at all.
pub fn permissions_too_open(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
}

fn validate_key_id(key_id: &str) -> std::result::Result<(), String> {
    let ok = !key_id.is_empty()
        && key_id.len() <= 32
        && key_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "密钥编号“{key_id}”无效：应为 1 到 32 个英文字母、数字、“-”、“_”或“.”"
        ))
    }
}

fn parse_hex_key<const N: usize>(name: &str, text: &str) -> std::result::Result<[u8; N], String> {
    let text = text.trim();
    let mut out = [0u8; N];
    if text.len() != N * 2 {
        return Err(format!(
            "“{name}”应为 {} 位十六进制字符，实际为 {} 位",
            N * 2,
            text.chars().count()
        ));
    }
    hex::decode_to_slice(text, &mut out).map_err(|_| format!("“{name}”含有非十六进制字符"))?;
    Ok(out)
}

fn file_io(path: &Path, source: io::Error) -> CryptoError {
    let reason = match source.kind() {
        io::ErrorKind::NotFound => "文件或目录不存在".to_owned(),
        io::ErrorKind::PermissionDenied => "没有访问权限".to_owned(),
        io::ErrorKind::AlreadyExists => "文件已存在".to_owned(),
        io::ErrorKind::StorageFull => "磁盘空间不足".to_owned(),
        io::ErrorKind::ReadOnlyFilesystem => "文件系统为只读".to_owned(),
        io::ErrorKind::InvalidData => "文件不是有效的文本".to_owned(),
        _ => match source.raw_os_error() {
            Some(code) => format!("系统错误（错误码 {code}）"),
            None => "系统输入输出错误".to_owned(),
        },
    };
    CryptoError::KeyFileIo {
        path: path.to_owned(),
        reason,
        source,
    }
}

fn os_random(buf: &mut [u8]) {
    rand::rngs::SysRng
        .try_fill_bytes(buf)
        .expect("operating system random source failed");
}

/// Key material with its cipher and MAC prepared once, because a 1,000,000-row import
/// calls encrypt and blind_index millions of times.
#[derive(Clone)]
struct Slot {
    keys: Keys,
    cipher: Sm4Gcm,
    /// HMAC state already keyed; cloning it skips re-hashing the key pads per call.
    mac: HmacSm3,
}

impl Slot {
    fn new(keys: Keys) -> Slot {
        let cipher = Sm4Gcm::new(&Array::from(keys.enc));
        let mac = <HmacSm3 as KeyInit>::new_from_slice(&keys.index)
            .expect("HMAC accepts keys of any length");
        Slot { keys, cipher, mac }
    }
}

/// The current keys plus older generations kept for decryption after rotation.
///
/// Cipher and MAC instances are built once here, not per call. Measured in release
/// mode on one core of the 2-core development machine: about 450,000 import rows per
/// second (each 2 × encrypt + 2 × blind_index), i.e. ~1.4 M encrypts/s and ~2 M
/// blind indexes/s; see the ignored `throughput` test.
///
/// New values are always encrypted and indexed with the current keys. Old keys only
/// decrypt: a ciphertext names its key id, so rotating the encryption key needs no
/// migration. The blind index, however, is always computed with the current index key:
/// rotating it requires re-indexing all rows (a later concern), otherwise searches for
/// existing people stop matching.
#[derive(Clone)]
pub struct Keyring {
    current: Slot,
    old: Vec<Slot>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring")
            .field("current", &self.current.keys)
            .field("old", &self.old.iter().map(|s| &s.keys).collect::<Vec<_>>())
            .finish()
    }
}

impl Keyring {
    pub fn new(current: Keys) -> Keyring {
        Keyring {
            current: Slot::new(current),
            old: Vec::new(),
        }
    }

    /// Adds older key generations for decryption. Takes any collection (`vec![k]`,
    /// `[k]`, `Some(k)`). A key whose id is already present is ignored, since a key id
    /// must name exactly one key.
    #[must_use]
    pub fn with_old(mut self, keys: impl IntoIterator<Item = Keys>) -> Keyring {
        for k in keys {
            if self.slot(&k.key_id).is_none() {
                self.old.push(Slot::new(k));
            }
        }
        self
    }

    /// Id of the current key, which new ciphertexts carry.
    pub fn key_id(&self) -> &str {
        &self.current.keys.key_id
    }

    /// The current keys.
    pub fn current(&self) -> &Keys {
        &self.current.keys
    }

    /// Ids of all keys that can decrypt, current first.
    pub fn key_ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(&self.current)
            .chain(&self.old)
            .map(|s| s.keys.key_id.as_str())
    }

    fn slot(&self, key_id: &str) -> Option<&Slot> {
        std::iter::once(&self.current)
            .chain(&self.old)
            .find(|s| s.keys.key_id == key_id)
    }

    /// Encrypts `plaintext` with the current key into ASCII text
    /// `"<key id>$<hex of nonce || ciphertext || tag>"`.
    ///
    /// `aad` names the column (e.g. "person.id_no"); decrypt must be given the same.
    /// The 96-bit nonce is random: collisions become a concern only after ~2^32
    /// encryptions under one key, far beyond this registry's volume.
    ///
    /// # Panics
    /// Only for a plaintext over 64 GiB, which GCM cannot encrypt.
    pub fn encrypt(&self, aad: &str, plaintext: &str) -> String {
        let key_id = &self.current.keys.key_id;
        let mut buf = vec![0u8; NONCE_LEN + plaintext.len() + TAG_LEN];
        let (nonce, rest) = buf.split_at_mut(NONCE_LEN);
        let (body, tag_out) = rest.split_at_mut(plaintext.len());
        rand::rng().fill_bytes(nonce);
        body.copy_from_slice(plaintext.as_bytes());
        let nonce = Array::<u8, U12>::try_from(&*nonce).expect("nonce length is fixed");
        let tag = self
            .current
            .cipher
            .encrypt_inout_detached(&nonce, aad.as_bytes(), body.into())
            .expect("plaintext within GCM limits");
        tag_out.copy_from_slice(&tag);

        let mut out = String::with_capacity(key_id.len() + 1 + buf.len() * 2);
        out.push_str(key_id);
        out.push(CIPHERTEXT_SEPARATOR);
        push_hex(&mut out, &buf);
        out
    }

    /// Decrypts a value produced by [`Keyring::encrypt`] with any key of this keyring.
    pub fn decrypt(&self, aad: &str, stored: &str) -> Result<String> {
        // Hex never contains the separator, so the last one is the boundary.
        let (key_id, payload) = stored
            .rsplit_once(CIPHERTEXT_SEPARATOR)
            .ok_or(CryptoError::MalformedCiphertext)?;
        let slot = self
            .slot(key_id)
            .ok_or_else(|| CryptoError::UnknownKeyId(key_id.to_owned()))?;
        let mut bytes = hex::decode(payload).map_err(|_| CryptoError::MalformedCiphertext)?;
        if bytes.len() < NONCE_LEN + TAG_LEN {
            return Err(CryptoError::MalformedCiphertext);
        }
        let (nonce, rest) = bytes.split_at_mut(NONCE_LEN);
        let (body, tag) = rest.split_at_mut(rest.len() - TAG_LEN);
        let nonce = Array::<u8, U12>::try_from(&*nonce).expect("nonce length is fixed");
        let tag = Array::try_from(&*tag).expect("tag length is fixed");
        slot.cipher
            .decrypt_inout_detached(&nonce, aad.as_bytes(), body.into(), &tag)
            .map_err(|_| CryptoError::DecryptFailed)?;
        let len = body.len();
        bytes.truncate(NONCE_LEN + len);
        bytes.drain(..NONCE_LEN);
        // Authenticated data was valid UTF-8 when encrypted; anything else is corruption.
        String::from_utf8(bytes).map_err(|_| CryptoError::DecryptFailed)
    }

    /// Deterministic search token: hex HMAC-SM3(index key, kind || 0x00 || value).
    ///
    /// `kind` (e.g. "id_no", "phone") separates the index spaces so equal strings in
    /// different columns do not match. The caller must normalize `normalized_value`
    /// (e.g. upper-case the ID check letter) the same way when storing and searching.
    /// Always uses the current key; see [`Keyring`] about rotation.
    pub fn blind_index(&self, kind: &str, normalized_value: &str) -> String {
        let mut mac = self.current.mac.clone();
        mac.update(kind.as_bytes());
        mac.update(&[0]);
        mac.update(normalized_value.as_bytes());
        let tag = mac.finalize().into_bytes();
        let mut out = String::with_capacity(tag.len() * 2);
        push_hex(&mut out, &tag);
        out
    }
}

fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.reserve(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
}

/// Lower-case hex SM3 digest of `data`.
pub fn sm3_hex(data: &[u8]) -> String {
    hex::encode(Sm3::digest(data))
}

/// Next link of the audit hash chain: `sm3_hex(prev || "\n" || record)`.
/// The first record uses [`GENESIS`] as `prev_hash_hex`.
pub fn chain_hash(prev_hash_hex: &str, record: &str) -> String {
    let mut h = Sm3::new();
    h.update(prev_hash_hex.as_bytes());
    h.update(b"\n");
    h.update(record.as_bytes());
    hex::encode(h.finalize())
}

/// 32 random bytes from the OS as 64 hex characters, e.g. for session ids.
///
/// # Panics
/// If the OS random source fails.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    os_random(&mut b);
    hex::encode(b)
}

/// What to store for a session token, so a leaked database does not leak live sessions.
pub fn sm3_token_hash(token: &str) -> String {
    sm3_hex(token.as_bytes())
}

#[cfg(test)]
mod tests;
