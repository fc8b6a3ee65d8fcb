//! Background jobs (imports and screenings): progress and result kept in the database so that
//! the console and the CLI can follow them. A job cut off by a restart is marked as
//! interrupted; imports are idempotent, so running one again is safe.

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::{Result, StoreError};
use crate::registry::import::ImportReport;
use crate::{Store, now};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    /// running | done | failed
    pub status: String,
    pub done_rows: i64,
    /// The import report (without the rejected rows) or `{ "error": … }`.
    #[schema(value_type = Option<Object>)]
    pub result: Option<serde_json::Value>,
    pub created_at: String,
    pub finished_at: Option<String>,
}

fn row_to_job(r: &AnyRow) -> Result<Job> {
    let result: Option<String> = r.try_get("result")?;
    Ok(Job {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        status: r.try_get("status")?,
        done_rows: r.try_get("done_rows")?,
        result: result.and_then(|s| serde_json::from_str(&s).ok()),
        created_at: r.try_get("created_at")?,
        finished_at: r.try_get("finished_at")?,
    })
}

const AAD_REJECTED: &str = "job.rejected";

impl Store {
    pub async fn create_job(&self, kind: &str, user_id: i64) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO job (kind, status, user_id, created_at) VALUES ($1, 'running', $2, $3) RETURNING id",
        )
        .bind(kind.to_string())
        .bind(user_id)
        .bind(now())
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("id")?)
    }

    pub async fn job_progress(&self, id: i64, done_rows: u64) -> Result<()> {
        // Progress may arrive after the end; it must not overwrite the final count.
        sqlx::query("UPDATE job SET done_rows = $1 WHERE id = $2 AND status = 'running'")
            .bind(done_rows as i64)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records the outcome of an import job.
    pub async fn finish_job(
        &self,
        id: i64,
        outcome: &std::result::Result<ImportReport, String>,
    ) -> Result<()> {
        let (status, result, rejected, rows) = match outcome {
            Ok(report) => {
                let summary = ImportReport {
                    rejected: Vec::new(),
                    ..report.clone()
                };
                (
                    "done",
                    serde_json::to_string(&summary),
                    Some(serde_json::to_string(&report.rejected).map(|json| {
                        // Rejected rows hold the file's cells, ID numbers included:
                        // encrypted at rest like every other personal number.
                        self.keys.encrypt(AAD_REJECTED, &json)
                    })),
                    report.rows as i64,
                )
            }
            Err(message) => (
                "failed",
                serde_json::to_string(&serde_json::json!({ "error": message })),
                None,
                0,
            ),
        };
        let enc = |e: serde_json::Error| StoreError::Corrupt(e.to_string());
        let rejected = rejected.transpose().map_err(enc)?;
        self.end_job(id, status, result.map_err(enc)?, rejected, rows)
            .await
    }

    /// Records the outcome of a job other than an import: its result as JSON, or the error
    /// shown to the user, and the rows done.
    pub async fn finish_job_with(
        &self,
        id: i64,
        outcome: std::result::Result<serde_json::Value, String>,
        rows: i64,
    ) -> Result<()> {
        let (status, result) = match outcome {
            Ok(v) => ("done", v),
            Err(message) => ("failed", serde_json::json!({ "error": message })),
        };
        self.end_job(id, status, result.to_string(), None, rows)
            .await
    }

    async fn end_job(
        &self,
        id: i64,
        status: &str,
        result: String,
        rejected: Option<String>,
        rows: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE job SET status = $1, result = $2, rejected = $3, done_rows = $4, finished_at = $5 WHERE id = $6",
        )
        .bind(status.to_string())
        .bind(result)
        .bind(rejected)
        .bind(rows)
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A job of this user (other users' jobs are not found).
    pub async fn job(&self, id: i64, user_id: i64) -> Result<Job> {
        let row = sqlx::query("SELECT * FROM job WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        row_to_job(&row)
    }

    /// The full report of a finished import job, rejected rows included.
    pub async fn job_report(&self, id: i64, user_id: i64) -> Result<ImportReport> {
        let row = sqlx::query(
            "SELECT result, rejected FROM job WHERE id = $1 AND user_id = $2 AND status = 'done'",
        )
        .bind(id)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let parse = |col: &str| -> Result<String> {
            Ok(row.try_get::<Option<String>, _>(col)?.unwrap_or_default())
        };
        let mut report: ImportReport = serde_json::from_str(&parse("result")?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let rejected = self.keys.decrypt(AAD_REJECTED, &parse("rejected")?)?;
        report.rejected =
            serde_json::from_str(&rejected).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(report)
    }

    /// Marks jobs (and screening runs) left running by a previous process as interrupted.
    pub async fn fail_interrupted_jobs(&self) -> Result<u64> {
        let msg =
            serde_json::json!({ "error": "服务重启，任务已中断；导入和筛查都可安全地重新执行" })
                .to_string();
        let done = sqlx::query("UPDATE job SET status = 'failed', result = $1, finished_at = $2 WHERE status = 'running'")
            .bind(msg)
            .bind(now())
            .execute(&self.pool)
            .await?;
        // A screening cut off wrote nothing (its results are written in one transaction);
        // it is started again as a new run.
        sqlx::query("UPDATE screening_run SET status = 'failed', error = $1, finished_at = $2 WHERE status = 'running'")
            .bind("服务重启，筛查已中断；请重新发起筛查")
            .bind(now())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
