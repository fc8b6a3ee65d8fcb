//! Accounts: roles with permission strings, users with argon2id passwords and a data
//! scope, login with lockout, and server-side sessions (only token hashes are stored).

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use wenjiu_core::{CreditCode, RegionPrefix};

use crate::error::{Result, StoreError};
use crate::listing::Listing;
use crate::sql::Sql;
use crate::{Page, PageReq, Scope, Store, now};

/// Every permission string wenjiu knows, with its Chinese label for the role editor.
pub const PERMISSIONS: &[(&str, &str)] = &[
    ("registry:person:list", "人员查询"),
    ("registry:person:write", "人员新增修改"),
    ("registry:person:reveal", "查看完整身份证号和手机号"),
    ("registry:person:import", "人员导入"),
    ("registry:person:export", "人员导出"),
    ("registry:household:list", "家庭查询"),
    ("registry:enterprise:list", "单位查询"),
    ("registry:enterprise:write", "单位新增修改"),
    ("registry:enterprise:import", "单位导入"),
    ("registry:enterprise:export", "单位导出"),
    ("registry:employment:list", "就业登记查询"),
    ("registry:employment:write", "就业登记办理"),
    ("registry:employment:import", "就业登记导入"),
    ("registry:employment:export", "就业登记导出"),
    ("registry:unemployment:list", "失业登记查询"),
    ("registry:unemployment:write", "失业登记办理"),
    ("registry:unemployment:import", "失业登记导入"),
    ("registry:unemployment:export", "失业登记导出"),
    ("indicators:read", "指标与月通报查询"),
    ("indicators:enter", "指标填报与导入"),
    ("indicators:target", "年度目标管理"),
    ("indicators:publish", "月度发布与更正"),
    ("indicators:catalogue", "指标目录维护"),
    ("policy:evaluate", "政策测算"),
    ("policy:param", "政策参数维护"),
    ("policy:admin", "政策清单重新加载"),
    ("monitoring:read", "失业动态监测查询"),
    ("monitoring:report", "监测月报填报"),
    ("monitoring:review", "监测月报审核"),
    ("monitoring:warning", "失业预警处置"),
    ("monitoring:filing", "裁员方案备案"),
    ("monitoring:admin", "监测样本与预警规则维护"),
    ("policy:screen", "政策筛查（免申即享）"),
    ("policy:screen:export", "政策筛查结果导出"),
    ("policy:grant", "补贴发放确认与撤销"),
    ("policy:facts", "申报信息录入与导入"),
    ("system:user:list", "用户查询"),
    ("system:user:write", "用户管理"),
    ("system:role:list", "角色查询"),
    ("system:audit:list", "审计日志查询"),
    ("system:code:write", "代码表维护"),
];

/// What a city officer may do with indicators: read, enter values, set its counties' targets.
const CITY_INDICATORS: &[&str] = &["indicators:read", "indicators:enter", "indicators:target"];

/// What a city officer may do with policies: evaluate, set its own parameter overrides,
/// record supplied facts, screen its registry and confirm grants (county officers: all but
/// the parameters).
const CITY_POLICY: &[&str] = &[
    "policy:evaluate",
    "policy:param",
    "policy:facts",
    "policy:screen",
    "policy:screen:export",
    "policy:grant",
];
/// Monitoring work of county and city officers: all but the sample and the rules.
const LOCAL_MONITORING: &[&str] = &[
    "monitoring:read",
    "monitoring:report",
    "monitoring:review",
    "monitoring:warning",
    "monitoring:filing",
];

/// The built-in roles, created on first migration. Administrators may add more.
fn default_roles() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    let all: Vec<&str> = PERMISSIONS.iter().map(|(p, _)| *p).collect();
    let officer: Vec<&str> = all
        .iter()
        .copied()
        .filter(|p| {
            p.starts_with("registry:")
                || CITY_INDICATORS.contains(p)
                || CITY_POLICY.contains(p)
                || LOCAL_MONITORING.contains(p)
        })
        .collect();
    let county: Vec<&str> = officer
        .iter()
        .copied()
        .filter(|p| {
            !p.ends_with(":reveal")
                && (!p.starts_with("indicators:") || *p == "indicators:read")
                && *p != "policy:param"
        })
        .collect();
    vec![
        ("province_admin", "省级管理员", all),
        ("city_officer", "市级经办人员", officer),
        ("county_officer", "县区经办人员", county),
        (
            "enterprise",
            "企业用户",
            vec![
                "registry:enterprise:list",
                "registry:person:list",
                "registry:employment:list",
                "registry:employment:write",
                "registry:employment:export",
                "monitoring:read",
                "monitoring:report",
                "monitoring:filing",
                "policy:evaluate",
            ],
        ),
        (
            "auditor",
            "审计管理员",
            vec!["system:audit:list", "system:user:list"],
        ),
    ]
}

/// Failed logins in a row that lock an account, and for how long.
pub const MAX_FAILED_LOGINS: i64 = 5;
pub const LOCK_MINUTES: i64 = 30;
/// A session ends after this many hours even while in use: a stolen cookie is not
/// valid forever.
pub const MAX_SESSION_HOURS: i64 = 12;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Role {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub permissions: Vec<String>,
}

/// A user as the rest of the system sees it (never the password hash).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role_code: String,
    pub role_name: String,
    pub permissions: Vec<String>,
    #[serde(skip)]
    #[schema(ignore)]
    pub scope: Scope,
    /// The scope as text: a region prefix ("2101") or "enterprise:<id>".
    pub scope_code: String,
    /// The scope in words: 辽宁省沈阳市, or the enterprise's name.
    pub scope_name: String,
    pub locked_until: Option<String>,
    pub disabled: bool,
    pub created_at: String,
}

impl User {
    pub fn can(&self, permission: &str) -> bool {
        self.permissions.iter().any(|p| p == permission)
    }
}

pub enum LoginOutcome {
    Success(Box<User>),
    /// Refused without saying why: the client learns only "wrong user name or password",
    /// whatever the `reason` the audit log keeps.
    Refused {
        user_id: Option<i64>,
        reason: Refusal,
    },
    /// The right password on a locked (`until`) or disabled (`None`) account: only the
    /// account's owner may learn its state.
    Locked {
        user_id: i64,
        until: Option<String>,
    },
}

/// Why a login was refused, for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    UnknownUser,
    WrongPassword,
    /// A wrong password that was the last allowed: the account is now locked.
    WrongPasswordNowLocked,
    /// A wrong password on an account already locked after failures.
    Locked,
    /// A wrong password on an account an administrator disabled.
    Disabled,
}

impl Refusal {
    /// The audit outcome: a counted failure, or a refusal of a blocked account.
    pub fn outcome(self) -> &'static str {
        match self {
            Refusal::Locked | Refusal::Disabled => "denied",
            _ => "failed",
        }
    }

    /// The true reason, in words, for the audit log only.
    pub fn describe(self) -> &'static str {
        match self {
            Refusal::UnknownUser => "用户名不存在",
            Refusal::WrongPassword => "密码错误",
            Refusal::WrongPasswordNowLocked => "密码错误，连续失败次数已达上限，账户已锁定",
            Refusal::Locked => "账户已锁定（密码错误）",
            Refusal::Disabled => "账户已停用（密码错误）",
        }
    }
}

/// A change to an account; what is `None` stays as it is.
#[derive(Debug, Clone, Default)]
pub struct AccountChange {
    /// Lock (disable) or unlock the account.
    pub locked: Option<bool>,
    pub password: Option<String>,
}

/// What is needed to create a user.
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role_code: String,
    /// A region prefix ("21", "2101", "210102") or `None` for an enterprise user.
    pub scope_region: Option<String>,
    /// The enterprise of an enterprise user, by credit code.
    pub scope_enterprise: Option<String>,
}

/// MLPS level 3: at least 8 characters from at least three of the four classes.
pub fn check_password_strength(password: &str) -> std::result::Result<(), String> {
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if password.chars().count() < 8 || classes.iter().filter(|c| **c).count() < 3 {
        return Err("密码至少 8 位，且须包含大写字母、小写字母、数字、特殊字符中的至少三类".into());
    }
    Ok(())
}

pub async fn hash_password(password: &str) -> Result<String> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| StoreError::Corrupt(format!("密码哈希失败：{e}")))
    })
    .await
    .map_err(|e| StoreError::Corrupt(e.to_string()))?
}

async fn verify_password(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_string(), hash.to_string());
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

const USER_SELECT: &str = "SELECT u.id, u.username, u.display_name, u.scope_region, u.scope_enterprise, \
     u.locked_until, u.disabled, u.created_at, u.password_hash, u.failed_logins, \
     r.code AS role_code, r.name AS role_name, r.permissions, e.name AS enterprise_name \
     FROM app_user u JOIN role r ON r.id = u.role_id \
     LEFT JOIN enterprise e ON e.id = u.scope_enterprise";

fn user_from_row(row: &AnyRow) -> Result<User> {
    let scope_region: Option<String> = row.try_get("scope_region")?;
    let scope_enterprise: Option<i64> = row.try_get("scope_enterprise")?;
    let (scope, scope_code, scope_name) = match (scope_region, scope_enterprise) {
        (Some(p), _) => {
            let prefix = RegionPrefix::parse(&p)
                .map_err(|e| StoreError::Corrupt(format!("用户数据范围 {p}：{e}")))?;
            let name = prefix.region().full_name();
            (Scope::Region(prefix), p, name)
        }
        (None, Some(e)) => {
            let name: Option<String> = row.try_get("enterprise_name")?;
            (
                Scope::Enterprise(e),
                format!("enterprise:{e}"),
                name.unwrap_or_default(),
            )
        }
        (None, None) => return Err(StoreError::Corrupt("用户没有数据范围".into())),
    };
    let permissions: String = row.try_get("permissions")?;
    Ok(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role_code: row.try_get("role_code")?,
        role_name: row.try_get("role_name")?,
        permissions: permissions.split_whitespace().map(str::to_string).collect(),
        scope,
        scope_code,
        scope_name,
        locked_until: row.try_get("locked_until")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        created_at: row.try_get("created_at")?,
    })
}

impl Store {
    pub(crate) async fn seed_roles(&self) -> Result<()> {
        for (code, name, perms) in default_roles() {
            Sql::new("INSERT INTO role (code, name, permissions) VALUES ")
                .bind_list([code.into(), name.into(), perms.join(" ").into()])
                .push(" ON CONFLICT (code) DO NOTHING")
                .query(self.backend)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    pub async fn roles(&self) -> Result<Vec<Role>> {
        let rows = sqlx::query("SELECT id, code, name, permissions FROM role ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let perms: String = r.try_get("permissions")?;
                Ok(Role {
                    id: r.try_get("id")?,
                    code: r.try_get("code")?,
                    name: r.try_get("name")?,
                    permissions: perms.split_whitespace().map(str::to_string).collect(),
                })
            })
            .collect()
    }

    /// Creates a user whose data scope lies within the creator's `scope`.
    pub async fn create_user(&self, scope: &Scope, u: NewUser) -> Result<i64> {
        let username = u.username.trim();
        if username.is_empty() || username.len() > 64 || username.chars().any(char::is_whitespace) {
            return Err(StoreError::invalid(
                "username",
                "用户名",
                "field.invalid",
                "用户名须为 1-64 位且不含空格",
            ));
        }
        check_password_strength(&u.password)
            .map_err(|m| StoreError::invalid("password", "密码", "password.weak", m))?;
        let role_id: Option<i64> = sqlx::query("SELECT id FROM role WHERE code = $1")
            .bind(u.role_code.clone())
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.try_get("id"))
            .transpose()?;
        let role_id = role_id.ok_or_else(|| {
            StoreError::invalid(
                "role",
                "角色",
                "field.invalid",
                format!("角色 {} 不存在", u.role_code),
            )
        })?;
        let (region, enterprise) = self
            .resolve_scope(&u.scope_region, &u.scope_enterprise)
            .await?;
        let within = match (scope, &region, enterprise) {
            (Scope::Region(own), Some(r), _) => r.starts_with(own.as_str()),
            (Scope::Region(_), None, Some(e)) => self.enterprise(scope, e).await.is_ok(),
            (Scope::All, _, _) => true,
            _ => false,
        };
        if !within {
            return Err(StoreError::OutOfScope(
                "新用户的数据范围须在本人数据范围之内".into(),
            ));
        }
        let hash = hash_password(&u.password).await?;
        let row = Sql::new(
            "INSERT INTO app_user (username, display_name, password_hash, role_id, scope_region, \
             scope_enterprise, created_at) VALUES ",
        )
        .bind_list([
            username.into(),
            u.display_name.trim().into(),
            hash.into(),
            role_id.into(),
            region.into(),
            enterprise.into(),
            now().into(),
        ])
        .push(" ON CONFLICT (username) DO NOTHING RETURNING id")
        .query(self.backend)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(r.try_get("id")?),
            None => Err(StoreError::Conflict(format!("用户名 {username} 已存在"))),
        }
    }

    async fn resolve_scope(
        &self,
        region: &Option<String>,
        enterprise: &Option<String>,
    ) -> Result<(Option<String>, Option<i64>)> {
        match (region, enterprise) {
            (Some(p), None) => {
                let prefix = RegionPrefix::parse(p).map_err(|e| {
                    StoreError::invalid("scope_region", "数据范围", e.code(), e.to_string())
                })?;
                Ok((Some(prefix.as_str().to_string()), None))
            }
            (None, Some(code)) => {
                let code = CreditCode::parse(code).map_err(|e| {
                    StoreError::invalid("scope_enterprise", "所属单位", e.code(), e.to_string())
                })?;
                let id = self
                    .enterprise_id_by_code(code.as_str())
                    .await?
                    .ok_or_else(|| {
                        StoreError::invalid(
                            "scope_enterprise",
                            "所属单位",
                            "field.invalid",
                            "所属单位不存在",
                        )
                    })?;
                Ok((None, Some(id)))
            }
            _ => Err(StoreError::invalid(
                "scope_region",
                "数据范围",
                "field.invalid",
                "须指定且只能指定一种数据范围：区划前缀或所属单位",
            )),
        }
    }

    async fn user_where(
        &self,
        clause: &str,
        v: crate::sql::Val,
    ) -> Result<Option<(User, String, i64)>> {
        let mut sql = Sql::new(USER_SELECT);
        sql.push(" WHERE ").push(clause).bind(v);
        let Some(row) = sql.query(self.backend).fetch_optional(&self.pool).await? else {
            return Ok(None);
        };
        Ok(Some((
            user_from_row(&row)?,
            row.try_get("password_hash")?,
            row.try_get("failed_logins")?,
        )))
    }

    pub async fn user_by_name(&self, username: &str) -> Result<Option<User>> {
        Ok(self
            .user_where("u.username = ", username.into())
            .await?
            .map(|u| u.0))
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        Ok(self.user_where("u.id = ", id.into()).await?.map(|u| u.0))
    }

    /// Users whose data scope lies within `scope`: an administrator manages only those.
    fn user_scope(scope: &Scope) -> Sql {
        let mut sql = Sql::new(" WHERE 1 = 1");
        match scope {
            Scope::Region(p) => {
                let upper = crate::sql::prefix_upper(p.as_str());
                sql.push(" AND ((u.scope_region >= ")
                    .bind(p.as_str())
                    .push(" AND u.scope_region < ")
                    .bind(upper.clone())
                    .push(") OR (e.region >= ")
                    .bind(p.as_str())
                    .push(" AND e.region < ")
                    .bind(upper)
                    .push("))");
            }
            Scope::Enterprise(_) => {
                sql.push(" AND 1 = 0");
            }
            Scope::All => {}
        }
        sql
    }

    pub async fn users(&self, scope: &Scope, page: PageReq) -> Result<Page<User>> {
        let listing = Listing {
            select: USER_SELECT,
            from: " FROM app_user u LEFT JOIN enterprise e ON e.id = u.scope_enterprise",
            id: "u.id",
            newest_first: false,
        };
        self.page(&listing, &Self::user_scope(scope), page, user_from_row)
            .await
    }

    /// A user within `scope`; others are not found.
    pub async fn user_in_scope(&self, scope: &Scope, id: i64) -> Result<User> {
        let mut sql = Sql::new(USER_SELECT);
        sql.append(&Self::user_scope(scope))
            .push(" AND u.id = ")
            .bind(id);
        let row = sql
            .query(self.backend)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        user_from_row(&row)
    }

    /// Checks a password, counting failures and locking the account after
    /// [`MAX_FAILED_LOGINS`] in a row for [`LOCK_MINUTES`]. The password is checked before
    /// anything else, so that only its owner learns that an account is locked or disabled.
    pub async fn login(&self, username: &str, password: &str) -> Result<LoginOutcome> {
        let Some((user, hash, _)) = self.user_where("u.username = ", username.into()).await? else {
            // Spend the same time as a real check so that timing does not reveal names.
            let dummy = DUMMY_HASH
                .get_or_try_init(|| hash_password("unknown-user"))
                .await?;
            verify_password(password, dummy).await;
            return Ok(LoginOutcome::Refused {
                user_id: None,
                reason: Refusal::UnknownUser,
            });
        };
        let password_ok = verify_password(password, &hash).await;
        let locked = user
            .locked_until
            .as_ref()
            .is_some_and(|until| parse_instant(until) > Utc::now());
        let refused = |reason| {
            Ok(LoginOutcome::Refused {
                user_id: Some(user.id),
                reason,
            })
        };
        match (password_ok, user.disabled, locked) {
            (false, true, _) => refused(Refusal::Disabled),
            (false, false, true) => refused(Refusal::Locked),
            (false, false, false) => refused(self.count_failure(user.id).await?),
            (true, true, _) => Ok(LoginOutcome::Locked {
                user_id: user.id,
                until: None,
            }),
            (true, false, true) => Ok(LoginOutcome::Locked {
                user_id: user.id,
                until: user.locked_until.clone(),
            }),
            (true, false, false) => self.login_succeeded(user).await,
        }
    }

    /// Counts a failed login in one statement, so that parallel guesses cannot each read
    /// the same count; the failure that reaches [`MAX_FAILED_LOGINS`] locks the account
    /// and starts a fresh count. An expired lock is cleared on the way.
    async fn count_failure(&self, user_id: i64) -> Result<Refusal> {
        let until = (Utc::now() + Duration::minutes(LOCK_MINUTES))
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let reaches = format!("failed_logins + 1 >= {MAX_FAILED_LOGINS}");
        let row = Sql::new(&format!(
            "UPDATE app_user SET failed_logins = CASE WHEN {reaches} THEN 0 \
             ELSE failed_logins + 1 END, locked_until = CASE WHEN {reaches} THEN "
        ))
        .bind(until)
        .push(" ELSE NULL END WHERE id = ")
        .bind(user_id)
        .push(" AND disabled = 0 AND ")
        .append(&unlocked_now())
        .push(" RETURNING locked_until")
        .query(self.backend)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            // A parallel attempt locked it (or an administrator disabled it) meanwhile.
            None => Refusal::Locked,
            Some(r) if r.try_get::<Option<String>, _>("locked_until")?.is_some() => {
                Refusal::WrongPasswordNowLocked
            }
            Some(_) => Refusal::WrongPassword,
        })
    }

    /// Clears the failure count, unless a parallel attempt locked the account meanwhile.
    async fn login_succeeded(&self, user: User) -> Result<LoginOutcome> {
        let done =
            Sql::new("UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = ")
                .bind(user.id)
                .push(" AND disabled = 0 AND ")
                .append(&unlocked_now())
                .query(self.backend)
                .execute(&self.pool)
                .await?;
        if done.rows_affected() == 0 {
            let current = self
                .user_by_id(user.id)
                .await?
                .ok_or(StoreError::NotFound)?;
            return Ok(LoginOutcome::Locked {
                user_id: current.id,
                until: current.locked_until.filter(|_| !current.disabled),
            });
        }
        Ok(LoginOutcome::Success(Box::new(User {
            locked_until: None,
            ..user
        })))
    }

    pub async fn set_password(&self, user_id: i64, password: &str) -> Result<()> {
        let change = AccountChange {
            password: Some(password.to_string()),
            ..AccountChange::default()
        };
        self.change_user(user_id, &change).await
    }

    /// Locks (disables) or unlocks a user; unlocking also clears a failure lock.
    pub async fn set_locked(&self, user_id: i64, locked: bool) -> Result<()> {
        let change = AccountChange {
            locked: Some(locked),
            ..AccountChange::default()
        };
        self.change_user(user_id, &change).await
    }

    /// Applies a change to a user whole or not at all: the new password is checked before
    /// anything is written, then everything is written in one transaction. A new password
    /// or a lock ends every session of the user.
    pub async fn change_user(&self, user_id: i64, change: &AccountChange) -> Result<()> {
        let hash = match &change.password {
            Some(p) => {
                check_password_strength(p)
                    .map_err(|m| StoreError::invalid("password", "密码", "password.weak", m))?;
                Some(hash_password(p).await?)
            }
            None => None,
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT id FROM app_user WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if let Some(locked) = change.locked {
            sqlx::query(
                "UPDATE app_user SET disabled = $1, failed_logins = 0, locked_until = NULL \
                 WHERE id = $2",
            )
            .bind(locked as i64)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(hash) = &hash {
            sqlx::query("UPDATE app_user SET password_hash = $1, failed_logins = 0 WHERE id = $2")
                .bind(hash.clone())
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        if hash.is_some() || change.locked == Some(true) {
            sqlx::query("DELETE FROM session WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Starts a session and returns its token; only the token's SM3 hash is stored.
    pub async fn create_session(&self, user_id: i64) -> Result<String> {
        let token = wenjiu_crypto::random_token();
        let at = now();
        sqlx::query("INSERT INTO session (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $4)")
            .bind(wenjiu_crypto::sm3_token_hash(&token))
            .bind(user_id)
            .bind(at.clone())
            .bind(at)
            .execute(&self.pool)
            .await?;
        Ok(token)
    }

    /// The user of a live session. A session idle for longer than `idle`, or older than
    /// [`MAX_SESSION_HOURS`] however active, ends; an active one is touched (at most once
    /// a minute, to spare the database).
    pub async fn session_user(&self, token: &str, idle: Duration) -> Result<Option<User>> {
        let hash = wenjiu_crypto::sm3_token_hash(token);
        let Some(row) = sqlx::query(
            "SELECT user_id, created_at, last_seen_at FROM session WHERE token_hash = $1",
        )
        .bind(hash.clone())
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let last_seen = parse_instant(&row.try_get::<String, _>("last_seen_at")?);
        let now_t = Utc::now();
        let created = parse_instant(&row.try_get::<String, _>("created_at")?);
        if now_t - last_seen > idle || now_t - created > Duration::hours(MAX_SESSION_HOURS) {
            self.end_session(token).await?;
            return Ok(None);
        }
        if now_t - last_seen > Duration::seconds(60) {
            sqlx::query("UPDATE session SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now())
                .bind(hash)
                .execute(&self.pool)
                .await?;
        }
        let user = self.user_by_id(row.try_get("user_id")?).await?;
        Ok(user.filter(|u| !u.disabled))
    }

    pub async fn end_session(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM session WHERE token_hash = $1")
            .bind(wenjiu_crypto::sm3_token_hash(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// `app_user` rows without a lock in force (stored instants sort as text).
fn unlocked_now() -> Sql {
    let mut sql = Sql::new("(locked_until IS NULL OR locked_until <= ");
    sql.bind(now()).push(")");
    sql
}

pub(crate) fn parse_instant(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default()
}

/// A real hash, checked when the user name is unknown.
static DUMMY_HASH: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
