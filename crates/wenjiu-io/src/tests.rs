use std::fs;
use std::path::PathBuf;

use super::write::{display_width, part_name, sanitize_sheet_name, write_xlsx_split};
use super::*;

fn temp_file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    fs::write(&path, bytes).unwrap();
    path
}

/// All rows as (number, cells), panicking on any error.
fn ok_rows(reader: TableReader) -> Vec<(usize, Vec<String>)> {
    reader
        .map(|r| {
            let r = r.unwrap();
            (r.number, r.cells)
        })
        .collect()
}

fn cells(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn gb18030(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

#[test]
fn csv_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(
        &dir,
        "people.csv",
        "姓名, 身份证号 ,电话\n张三,110101199003071234, 13800138000 \n李四,11010119900307123X,\n"
            .as_bytes(),
    );
    let reader = TableReader::open(&path).unwrap();
    assert_eq!(reader.headers(), ["姓名", "身份证号", "电话"]);
    assert_eq!(reader.header_row(), 1);
    assert_eq!(reader.format(), TableFormat::Csv);
    assert_eq!(reader.encoding(), Some("UTF-8"));
    assert_eq!(
        ok_rows(reader),
        [
            (2, cells(&["张三", "110101199003071234", "13800138000"])),
            (3, cells(&["李四", "11010119900307123X", ""])),
        ]
    );
}

#[test]
fn csv_with_bom_and_crlf() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice("姓名,电话\r\n王五,13900000000\r\n".as_bytes());
    let path = temp_file(&dir, "bom.CSV", &bytes);
    let reader = TableReader::open(&path).unwrap();
    assert_eq!(reader.headers(), ["姓名", "电话"]);
    assert_eq!(ok_rows(reader), [(2, cells(&["王五", "13900000000"]))]);
}

#[test]
fn csv_gb18030_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let text = "姓名,身份证号,就业状态,备注\r\n\
                张三,110101199003071234,已就业,“灵活就业”\r\n\
                欧阳娜娜,11010119900307123X,未就业,含生僻字䶮\r\n";
    let path = temp_file(&dir, "gbk.csv", &gb18030(text));
    let reader = TableReader::open(&path).unwrap();
    assert_eq!(reader.encoding(), Some("GB18030"));
    assert_eq!(reader.headers(), ["姓名", "身份证号", "就业状态", "备注"]);
    assert_eq!(
        ok_rows(reader),
        [
            (
                2,
                cells(&["张三", "110101199003071234", "已就业", "“灵活就业”"])
            ),
            (
                3,
                cells(&["欧阳娜娜", "11010119900307123X", "未就业", "含生僻字䶮"])
            ),
        ]
    );
}

#[test]
fn csv_gb18030_after_long_ascii_start() {
    // The sniffed start is ASCII only; the first Chinese row must decide the encoding.
    let mut text = String::from("id,name\n");
    for i in 0..10_000 {
        text.push_str(&format!("{i},abcdefgh\n"));
    }
    text.push_str("10000,张三\n10001,李四\n");
    let bytes = gb18030(&text);
    let reader = TableReader::from_bytes("upload.csv", bytes).unwrap();
    let rows = ok_rows(reader);
    assert_eq!(rows.len(), 10_002);
    assert_eq!(rows[10_000], (10_002, cells(&["10000", "张三"])));
    assert_eq!(rows[10_001], (10_003, cells(&["10001", "李四"])));
}

#[test]
fn csv_utf8_after_long_ascii_start_stays_utf8() {
    let mut text = String::from("id,name\n");
    for i in 0..10_000 {
        text.push_str(&format!("{i},abcdefgh\n"));
    }
    text.push_str("10000,张三\n");
    let mut reader = TableReader::from_bytes("upload.csv", text.into_bytes()).unwrap();
    let last = reader.by_ref().last().unwrap().unwrap();
    assert_eq!(last.cells, ["10000", "张三"]);
    assert_eq!(reader.encoding(), Some("UTF-8"));
}

#[test]
fn csv_invalid_bytes_in_utf8_file_error_names_row() {
    // A damaged row in a UTF-8 file is that row's error, not a reason to misread all.
    let mut bytes = "姓名,电话\n张三,1\n欧阳娜娜,2\n".as_bytes().to_vec();
    bytes.extend_from_slice(b"\xFF\xFE,3\n");
    bytes.extend_from_slice("李四,4\n".as_bytes());
    let reader = TableReader::from_bytes("a.csv", bytes).unwrap();
    assert_eq!(reader.encoding(), Some("UTF-8"));
    let results: Vec<_> = reader.collect();
    assert_eq!(results.len(), 4);
    assert_eq!(results[0].as_ref().unwrap().cells, ["张三", "1"]);
    let err = results[2].as_ref().unwrap_err();
    assert!(matches!(err, IoError::BadEncoding { row: 4 }), "{err}");
    assert!(err.to_string().contains("第 4 行"));
    assert_eq!(results[3].as_ref().unwrap().cells, ["李四", "4"]);
}

#[test]
fn csv_ragged_rows() {
    let text = "a,b,c,,\n1,2\n1,2,3,,\n1,2,3,4,5\n1,2,3\n";
    let results: Vec<_> = TableReader::from_bytes("r.csv", text.into())
        .unwrap()
        .collect();
    // Trailing empty header cells (Excel's padding) are not columns.
    assert_eq!(results.len(), 4);
    assert_eq!(results[0].as_ref().unwrap().cells, ["1", "2", ""]);
    assert_eq!(results[1].as_ref().unwrap().cells, ["1", "2", "3"]);
    let err = results[2].as_ref().unwrap_err();
    assert!(
        matches!(
            err,
            IoError::ExtraCells {
                row: 4,
                expected: 3,
                found: 5
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.row(), Some(4));
    assert!(err.to_string().contains("第 4 行"), "{err}");
    // Reading goes on after a row error.
    assert_eq!(results[3].as_ref().unwrap().number, 5);
}

#[test]
fn csv_empty_rows_keep_numbering() {
    let reader =
        TableReader::from_bytes("e.csv", b"a,b\n1,2\n\n,,\n , \n3,4\n\n".to_vec()).unwrap();
    assert_eq!(
        ok_rows(reader),
        [(2, cells(&["1", "2"])), (6, cells(&["3", "4"]))]
    );

    // CRLF, blank lines before the header, and a last line without a line end.
    let reader =
        TableReader::from_bytes("e.csv", b"\r\n\r\na,b\r\n1,2\r\n\r\n3,4".to_vec()).unwrap();
    assert_eq!(reader.header_row(), 3);
    assert_eq!(
        ok_rows(reader),
        [(4, cells(&["1", "2"])), (6, cells(&["3", "4"]))]
    );

    // Old Mac line ends (CR only).
    let reader = TableReader::from_bytes("e.csv", b"a,b\r1,2\r\r3,4\r".to_vec()).unwrap();
    assert_eq!(
        ok_rows(reader),
        [(2, cells(&["1", "2"])), (4, cells(&["3", "4"]))]
    );
}

#[test]
fn csv_quoted_fields() {
    let text = "name,note\r\n\"Zhang, San\",\"line one\r\nline two\"\r\n\
                \"say \"\"hi\"\"\",\"  padded  \"\r\n\r\nlast,x\r\n";
    let reader = TableReader::from_bytes("q.csv", text.into()).unwrap();
    assert_eq!(
        ok_rows(reader),
        [
            // A quoted line break stays in its row, as in Excel.
            (2, cells(&["Zhang, San", "line one\r\nline two"])),
            (3, cells(&["say \"hi\"", "padded"])),
            (5, cells(&["last", "x"])),
        ]
    );
}

#[test]
fn csv_unmatched_quote_stops_with_row_error() {
    let mut text = String::from("a,b\n1,2\n3,\"oops\n");
    let filler = "x,y\n".repeat(MAX_ROW_BYTES_FOR_TESTS / 4 + 10);
    text.push_str(&filler);
    let results: Vec<_> = TableReader::from_bytes("u.csv", text.into())
        .unwrap()
        .collect();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap().number, 2);
    let err = results[1].as_ref().unwrap_err();
    assert!(matches!(err, IoError::RowTooLong { row: 3, .. }), "{err:?}");
}

const MAX_ROW_BYTES_FOR_TESTS: usize = crate::csv_read::MAX_ROW_BYTES;

#[test]
fn csv_header_only_and_empty_files() {
    let reader = TableReader::from_bytes("h.csv", b"a,b\n".to_vec()).unwrap();
    assert_eq!(reader.headers(), ["a", "b"]);
    assert_eq!(reader.count(), 0);

    for empty in [&b""[..], b"\n\n", b"\xEF\xBB\xBF", b" , \r\n"] {
        let err = TableReader::from_bytes("e.csv", empty.to_vec()).unwrap_err();
        assert!(matches!(err, IoError::Empty), "{err:?}");
    }
}

#[test]
fn csv_utf16_is_refused_clearly() {
    let err = TableReader::from_bytes("w.csv", b"\xFF\xFEa\0,\0b\0".to_vec()).unwrap_err();
    assert!(matches!(err, IoError::Utf16));
}

#[test]
fn unsupported_extensions() {
    for (name, shown) in [
        ("data.txt", ".txt"),
        ("DATA.ET", ".et"),
        ("noext", "无扩展名"),
    ] {
        let err = TableReader::from_bytes(name, b"a,b\n".to_vec()).unwrap_err();
        assert!(matches!(err, IoError::UnsupportedType(_)), "{err:?}");
        assert!(err.to_string().contains(shown), "{err}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(&dir, "x.json", b"{}");
    let err = TableReader::open(&path).unwrap_err();
    assert!(err.to_string().contains(".json"), "{err}");
}

#[test]
fn missing_file_error_names_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("none.csv");
    let err = TableReader::open(&path).unwrap_err();
    assert!(matches!(err, IoError::Open { .. }));
    let msg = err.to_string();
    assert!(msg.contains("none.csv") && msg.contains("不存在"), "{msg}");
}

#[test]
fn xlsx_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let headers = ["姓名", "身份证号", "编号", "电话", "备注"];
    let data = vec![
        cells(&["张三", "11010119900307123X", "0123", "13800138000", ""]),
        cells(&[
            "李四",
            "110101199003071234",
            "00000",
            "",
            "含\"引号\", 逗号",
        ]),
        cells(&["", "", "", "", ""]),
        cells(&["王五", "440301200001010011", "1", "+86 139", "=1+1"]),
    ];
    let bytes = write_xlsx("人员名单", &headers, data.clone().into_iter()).unwrap();
    let path = temp_file(&dir, "out.xlsx", &bytes);

    let reader = TableReader::open(&path).unwrap();
    assert_eq!(reader.format(), TableFormat::Xlsx);
    assert_eq!(reader.encoding(), None);
    assert_eq!(reader.headers(), headers);
    assert_eq!(
        ok_rows(reader),
        [
            (2, data[0].clone()),
            (3, data[1].clone()),
            // The empty row 4 is skipped but counted.
            (5, data[3].clone()),
        ]
    );

    // Uploads of the same bytes read the same.
    let reader = TableReader::from_bytes("upload.XLSX", bytes).unwrap();
    assert_eq!(reader.count(), 3);
}

#[test]
fn xlsx_written_cells_are_text_with_layout() {
    let bytes = write_xlsx(
        "名单",
        &["身份证号", "x"],
        vec![cells(&["0123", "1"])].into_iter(),
    )
    .unwrap();
    let sheet_xml = zip_entry(&bytes, "xl/worksheets/sheet1.xml");
    assert!(
        sheet_xml.contains("<autoFilter ref=\"A1:B2\""),
        "{sheet_xml}"
    );
    assert!(
        sheet_xml.contains("topLeftCell=\"A2\""),
        "frozen header: {sheet_xml}"
    );
    assert!(sheet_xml.contains("numberStoredAsText"), "{sheet_xml}");
    assert!(sheet_xml.contains("<col "), "{sheet_xml}");
    assert!(!sheet_xml.contains("t=\"n\""), "{sheet_xml}");
    let styles = zip_entry(&bytes, "xl/styles.xml");
    assert!(styles.contains("<b/>"), "bold header: {styles}");
}

/// The text of one member of an XLSX (zip) file.
fn zip_entry(xlsx: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn xlsx_numbers_dates_and_booleans_read_as_shown() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let time = Format::new().set_num_format("hh:mm:ss");
    // Row 1 empty, header on row 2.
    for (col, h) in [
        "整数",
        "小数",
        "和",
        "身份证号",
        "布尔",
        "日期",
        "时间日期",
        "时间",
        "负数",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(1, col as u16, *h).unwrap();
    }
    sheet.write_number(2, 0, 12345).unwrap();
    sheet.write_number(2, 1, 2.75).unwrap();
    sheet.write_number(2, 2, 0.1 + 0.2).unwrap();
    sheet.write_number(2, 3, 110101199003071234_f64).unwrap();
    sheet.write_boolean(2, 4, true).unwrap();
    let d = ExcelDateTime::from_ymd(2024, 3, 5).unwrap();
    sheet.write_datetime_with_format(2, 5, &d, &date).unwrap();
    let dt = ExcelDateTime::from_ymd(2024, 3, 5)
        .unwrap()
        .and_hms(8, 30, 15)
        .unwrap();
    sheet
        .write_datetime_with_format(2, 6, &dt, &datetime)
        .unwrap();
    let t = ExcelDateTime::from_hms(14, 5, 0).unwrap();
    sheet.write_datetime_with_format(2, 7, &t, &time).unwrap();
    sheet.write_number(2, 8, -42.5).unwrap();
    // A date cell formatted as a date but holding midnight prints without a time.
    let midnight = ExcelDateTime::from_ymd(1999, 12, 31).unwrap();
    sheet
        .write_datetime_with_format(3, 6, &midnight, &datetime)
        .unwrap();
    let bytes = book.save_to_buffer().unwrap();

    let reader = TableReader::from_bytes("n.xlsx", bytes).unwrap();
    assert_eq!(reader.header_row(), 2);
    let rows = ok_rows(reader);
    assert_eq!(
        rows[0],
        (
            3,
            cells(&[
                "12345",
                "2.75",
                "0.3",
                "110101199003071000",
                "TRUE",
                "2024-03-05",
                "2024-03-05 08:30:15",
                "14:05:00",
                "-42.5"
            ])
        )
    );
    assert_eq!(rows[1].0, 4);
    assert_eq!(rows[1].1[6], "1999-12-31");
}

#[test]
fn xlsx_formula_error_cell_names_row_and_column() {
    use rust_xlsxwriter::{Formula, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "a").unwrap();
    sheet.write_string(0, 1, "b").unwrap();
    sheet
        .write_formula(1, 1, Formula::new("=1/0").set_result("#DIV/0!"))
        .unwrap();
    sheet.write_string(1, 0, "x").unwrap();
    sheet.write_string(2, 0, "ok").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let results: Vec<_> = TableReader::from_bytes("f.xlsx", bytes).unwrap().collect();
    assert_eq!(results.len(), 2);
    let err = results[0].as_ref().unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("第 2 行") && msg.contains("B 列") && msg.contains("#DIV/0!"),
        "{msg}"
    );
    assert_eq!(results[1].as_ref().unwrap().cells, ["ok", ""]);
}

#[test]
fn xlsx_extra_cells_beyond_header() {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "a").unwrap();
    sheet.write_string(1, 0, "1").unwrap();
    sheet.write_string(1, 2, "stray").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let results: Vec<_> = TableReader::from_bytes("x.xlsx", bytes).unwrap().collect();
    assert!(matches!(
        results[0],
        Err(IoError::ExtraCells {
            row: 2,
            expected: 1,
            found: 3
        })
    ));
}

#[test]
fn spreadsheet_content_wins_over_name() {
    let bytes = write_xlsx("s", &["a"], vec![cells(&["1"])].into_iter()).unwrap();
    // An .xlsx saved as ".csv" or ".xls" by mistake still reads.
    for name in ["wrong.csv", "wrong.xls"] {
        let reader = TableReader::from_bytes(name, bytes.clone()).unwrap();
        assert_eq!(reader.format(), TableFormat::Xlsx);
        assert_eq!(ok_rows(reader), [(2, cells(&["1"]))]);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(&dir, "named.csv", &bytes);
    assert_eq!(TableReader::open(&path).unwrap().count(), 1);
}

#[test]
fn broken_xlsx_is_a_clear_error() {
    let err = TableReader::from_bytes("b.xlsx", b"not a zip".to_vec()).unwrap_err();
    assert!(matches!(err, IoError::BadWorkbook(_)), "{err:?}");
    assert!(err.to_string().contains("Excel"));
}

#[test]
fn xlsx_continues_on_new_sheet_past_row_limit() {
    let rows = (1..=7).map(|i| vec![i.to_string()]);
    let bytes = write_xlsx_split("名单", &["n"], rows, 3).unwrap();
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["名单", "名单(2)", "名单(3)"]);
    let last = book.worksheet_range("名单(3)").unwrap();
    assert_eq!(last.height(), 2);
    assert_eq!(last.get((0, 0)), Some(&calamine::Data::String("n".into())));
    assert_eq!(last.get((1, 0)), Some(&calamine::Data::String("7".into())));
}

#[test]
fn write_csv_has_bom_and_reads_back() {
    let mut out = Vec::new();
    let rows = vec![
        cells(&["张三", "0123", "a,\"b\""]),
        cells(&["李四", "11010119900307123X", "x\ny"]),
    ];
    write_csv(
        &["姓名", "编号", "备注"],
        rows.clone().into_iter(),
        &mut out,
    )
    .unwrap();
    assert!(out.starts_with(b"\xEF\xBB\xBF\xE5\xA7\x93"));
    assert!(out.windows(2).any(|w| w == b"\r\n"));
    let reader = TableReader::from_bytes("back.csv", out).unwrap();
    assert_eq!(reader.headers(), ["姓名", "编号", "备注"]);
    let back = ok_rows(reader);
    assert_eq!(back[0], (2, rows[0].clone()));
    assert_eq!(back[1], (3, rows[1].clone()));
}

#[test]
fn number_text_like_excel() {
    use crate::sheet_read::number_text;
    for (n, shown) in [
        (0.0, "0"),
        (-0.0, "0"),
        (12345.0, "12345"),
        (-7.0, "-7"),
        (2.71, "2.71"),
        (0.1 + 0.2, "0.3"),
        (1.0 / 3.0, "0.333333333333333"),
        (0.000123, "0.000123"),
        (123456789012345.0, "123456789012345"),
        (1234567890123456.0, "1234567890123460"),
        (110101199003071234.0, "110101199003071000"),
        (-1.5e-3, "-0.0015"),
        (1e20, "100000000000000000000"),
    ] {
        assert_eq!(number_text(n), shown, "{n}");
    }
}

#[test]
fn helpers() {
    assert_eq!(column_name(0), "A");
    assert_eq!(column_name(25), "Z");
    assert_eq!(column_name(26), "AA");
    assert_eq!(column_name(701), "ZZ");
    assert_eq!(column_name(702), "AAA");
    assert_eq!(display_width("abc"), 3);
    assert_eq!(display_width("身份证号"), 8);
    assert_eq!(display_width("ＡＢ"), 4);
    assert_eq!(sanitize_sheet_name("a/b:c"), "a_b_c");
    assert_eq!(sanitize_sheet_name(" 'x' "), "x");
    assert_eq!(sanitize_sheet_name("[]"), "__");
    assert_eq!(sanitize_sheet_name(""), "Sheet1");
    let long = "很".repeat(40);
    assert_eq!(part_name(&long, 1).chars().count(), 31);
    assert_eq!(part_name(&long, 12), format!("{}(12)", "很".repeat(27)));
}

/// Streaming check on a large file.
/// Run: `cargo test --release -p wenjiu-io -- --ignored --nocapture large`
#[test]
#[ignore]
fn large_csv_read_and_xlsx_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.csv");
    let rows = 1_000_000;
    {
        let file = std::io::BufWriter::new(fs::File::create(&path).unwrap());
        let data = (0..rows).map(|i| {
            vec![
                format!("姓名{i}"),
                format!("11010119900307{:04}", i % 10_000),
                format!("138{i:08}"),
                "已就业".to_owned(),
                "某某市某某区某某街道".to_owned(),
            ]
        });
        write_csv(&["姓名", "身份证号", "电话", "状态", "地址"], data, file).unwrap();
    }
    let size = fs::metadata(&path).unwrap().len();
    let start = std::time::Instant::now();
    let mut count = 0;
    for row in TableReader::open(&path).unwrap() {
        count += row.unwrap().cells.len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "read {rows} rows ({:.0} MB) in {secs:.2}s: {:.0} rows/s, cells {count}",
        size as f64 / 1e6,
        f64::from(rows) / secs
    );

    let start = std::time::Instant::now();
    let data = TableReader::open(&path).unwrap().map(|r| r.unwrap().cells);
    let bytes = write_xlsx("名单", &["姓名", "身份证号", "电话", "状态", "地址"], data).unwrap();
    println!(
        "wrote {rows}-row xlsx ({:.0} MB) in {:.2}s",
        bytes.len() as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );
}

#[test]
fn csv_gb18030_detected_for_varied_text() {
    // Many different common characters (all of U+4E00..U+9FA5 are in GBK), so some
    // byte pairs happen to be valid UTF-8: detection must still choose GB18030.
    for step in [1, 7, 13] {
        let mut text = String::from("名称,说明\r\n");
        let chars: String = (0x4E00..0x9FA5)
            .step_by(step)
            .take(3000)
            .filter_map(char::from_u32)
            .collect();
        for (i, chunk) in chars.chars().collect::<Vec<_>>().chunks(20).enumerate() {
            let chunk: String = chunk.iter().collect();
            text.push_str(&format!("{i},{chunk}\r\n"));
        }
        let reader = TableReader::from_bytes("g.csv", gb18030(&text)).unwrap();
        assert_eq!(reader.encoding(), Some("GB18030"), "step {step}");
        let back: String = reader.map(|r| r.unwrap().cells[1].clone()).collect();
        assert_eq!(back, chars);
    }
}

#[test]
fn reader_and_errors_can_move_to_worker_threads() {
    fn send<T: Send>() {}
    fn send_sync<T: Send + Sync>() {}
    send::<TableReader>();
    send_sync::<IoError>();
    send_sync::<Row>();
}
