//! The monthly monitoring analysis report through the real router: each format with its
//! content type and content, the export audited, and a region outside the caller's scope not
//! found.

mod common;

use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use common::*;
use serde_json::{Value, json};

const APRIL: &str = "2020-04";
const MAY: &str = "2020-05";

fn report(enterprise_id: i64, month: &str, headcount: i64, decrease: i64) -> Value {
    let mut r = json!({ "enterprise_id": enterprise_id, "month": month, "headcount": headcount,
                        "new_hires": 0, "decrease": decrease });
    if decrease > 0 {
        r["decrease_type"] = json!("03");
        r["reasons"] = json!([{ "code": "04", "note": "订单减少" }]);
    }
    r
}

/// An enterprise of `region` in the sample with `baseline` people, its April unchanged and
/// its May down by `lost`.
async fn monitored(admin: &Client, name: &str, region: &str, body: &str, baseline: i64, lost: i64) {
    let id = admin
        .create(
            "/enterprises",
            enterprise(name, &credit_code(region, body), region),
        )
        .await;
    admin
        .put(
            "/monitoring/sample",
            json!({ "enterprise_id": id, "enrolled_on": "2020-01-01", "baseline": baseline }),
        )
        .await;
    for (month, headcount, decrease) in [(APRIL, baseline, 0), (MAY, baseline - lost, lost)] {
        admin
            .post(
                "/monitoring/reports",
                report(id, month, headcount, decrease),
            )
            .await
            .expect(StatusCode::OK);
    }
}

async fn export(c: &Client, region: &str, format: &str) -> Resp {
    c.get(&format!(
        "/monitoring/analysis/export?region={region}&month={MAY}&format={format}"
    ))
    .await
}

#[tokio::test]
async fn the_analysis_report_in_each_format_within_scope() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(date(2020, 5, 31));
        let admin = ctx.admin().await;
        let off = ctx.officers().await;
        monitored(&admin, "甲重工", "210102", "MA0A0001", 1000, 200).await;
        monitored(&admin, "乙造船", "210202", "MA0A0002", 500, 0).await;

        for (format, content_type) in [
            (
                "docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            (
                "xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            ("html", "text/html; charset=utf-8"),
        ] {
            let r = export(&admin, "210000", format).await;
            assert_eq!(r.status, StatusCode::OK, "{format}: {}", r.text());
            assert_eq!(r.headers[CONTENT_TYPE], content_type);
            let disposition = r.headers[CONTENT_DISPOSITION].to_str().unwrap();
            assert!(
                disposition.ends_with(&format!("-{MAY}.{format}")),
                "{disposition}"
            );
            if format == "html" {
                let page = r.text();
                assert!(page.contains("失业动态监测月度分析报告"));
                assert!(page.contains("辽宁省　2020年5月"));
                // The sample of two: 1,500 people at baseline, 1,300 in May; 甲重工's 200.
                assert!(page.contains("纳入失业动态监测的企业2户"), "{page}");
                assert!(page.contains("上报企业建档期就业人数1,500人，调查期就业人数1,300人"));
                assert!(page.contains("甲重工"));
                assert!(page.contains("<table>") && page.contains("<svg"));
            } else {
                assert!(r.body.starts_with(b"PK"), "{format}: a ZIP package");
            }
        }

        // 沈阳's city officer gets 沈阳, and 大连's gets 大连 but not 沈阳.
        export(&off.shenyang, "210100", "html")
            .await
            .expect(StatusCode::OK);
        let dalian = export(&off.dalian, "210200", "html").await;
        assert_eq!(dalian.status, StatusCode::OK);
        assert!(!dalian.text().contains("甲重工"));
        export(&off.dalian, "210100", "docx")
            .await
            .expect(StatusCode::NOT_FOUND);
        // A format that does not exist.
        export(&admin, "210000", "pdf")
            .await
            .expect(StatusCode::BAD_REQUEST);

        // Each export is an audit record.
        let (_, records) = admin.list("/audit").await;
        let exports = records
            .iter()
            .filter(|r| r["action"] == "monitoring.analysis.export")
            .count();
        assert_eq!(exports, 5);
    })
    .await;
}

/// Months outside the business years are refused by name, at the edge: none reaches the
/// calendar arithmetic of the figures (9999-12 has no next month, 0001-03 no year before).
#[tokio::test]
async fn months_outside_the_business_years_are_refused() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        for path in [
            "/monitoring/status?month=9999-12",
            "/monitoring/summary?month=0001-03",
            "/monitoring/summary?month=9999-12",
            "/monitoring/analysis/export?month=0001-03",
            "/monitoring/analysis/export?month=9999-12",
        ] {
            let body = admin
                .get(path)
                .await
                .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
            assert_eq!(body["fields"][0]["column"], "month", "{path}: {body}");
        }
    })
    .await;
}
