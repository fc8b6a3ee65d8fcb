//! The `wenjiu` command.

mod calibrate;
mod config;
mod demo;
mod facts_demo;
mod indicators;
mod monitoring;
mod monitoring_demo;
mod policy;
mod progress;
mod screen;
mod synth;
mod synthfiles;

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use wenjiu_io::TableReader;
use wenjiu_server::{AppState, ServerConfig};
use wenjiu_store::accounts::NewUser;
use wenjiu_store::registry::Kind;
use wenjiu_store::{Scope, Store};

use crate::config::DbArgs;
use crate::progress::bar;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "wenjiu",
    version,
    about = "稳就业：就业失业实名制登记、数据权限与审计"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct ServeArgs {
    #[command(flatten)]
    db: DbArgs,
    /// Address to listen on.
    #[arg(long, env = "WENJIU_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Minutes of inactivity after which a session ends.
    #[arg(long, env = "WENJIU_IDLE_MINUTES", default_value_t = 30)]
    idle_minutes: i64,
    /// Mark the session cookie Secure (when served over HTTPS).
    #[arg(long, env = "WENJIU_SECURE_COOKIES")]
    secure_cookies: bool,
    /// The built web console to serve at / (skipped when the folder is missing).
    #[arg(long, env = "WENJIU_WEB_DIR", default_value = "web/dist")]
    web_dir: PathBuf,
    /// The policy catalogue (政策清单) to load (skipped when the folder is missing).
    #[arg(
        long,
        env = "WENJIU_POLICIES",
        default_value = "policies/liaoning-2020"
    )]
    policies: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the API.
    Serve(ServeArgs),
    /// Migrate, load the demo province if the database is empty, then serve.
    Demo {
        #[command(flatten)]
        serve: ServeArgs,
        /// People in the demo province.
        #[arg(long, default_value_t = 30_000)]
        people: u64,
        #[arg(long, default_value_t = 2020)]
        seed: u64,
        /// Load only; do not serve.
        #[arg(long)]
        no_serve: bool,
        /// Skip topping the registry up to the seed's figures (fast; for tests).
        #[arg(long)]
        no_calibrate: bool,
    },
    /// Apply pending database migrations.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Import a CSV or XLSX file: person, enterprise, employment or unemployment.
    Import {
        #[command(flatten)]
        db: DbArgs,
        kind: String,
        file: PathBuf,
        /// Write the rejected rows here (XLSX) when there are any.
        #[arg(long)]
        rejected: Option<PathBuf>,
    },
    /// Manage users.
    User {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        action: UserAction,
    },
    /// The audit log.
    Audit {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Print the monthly bulletin (月通报) of a region, or write it as DOCX, XLSX or HTML.
    Bulletin {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        args: indicators::BulletinArgs,
    },
    /// Unemployment monitoring (失业动态监测): run the warning rules over a month, or print or
    /// write the monthly analysis report of a region.
    Monitoring {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        action: monitoring::MonitoringAction,
    },
    /// Indicators: recount, import values or targets, publish a month.
    Indicators {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        action: indicators::IndicatorsAction,
    },
    /// Policies (政策清单): check a catalogue, run its test cases, evaluate one subject.
    Policy {
        #[command(subcommand)]
        action: policy::PolicyAction,
    },
    /// Screen the registry (免申即享): evaluate the catalogue, or one policy, for every
    /// person, enterprise and hire of a region at a date; store the potential beneficiaries
    /// and print them per city and policy.
    Screen {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        args: screen::ScreenArgs,
    },
    /// Re-derive key groups and household flags as of the business date.
    Refresh {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Count the home page's and the lists' tallies afresh from the registry: after a
    /// `TRUNCATE` or rows inserted by hand (docs/operations.md).
    Tallies {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Print the OpenAPI document of the HTTP API (or write it to --out).
    Openapi {
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write a synthetic registry file (CSV or XLSX) for tests and benchmarks.
    Gen {
        kind: String,
        /// Size of the synthetic province in people (registrations follow from it).
        #[arg(long, default_value_t = 10_000)]
        people: u64,
        #[arg(long, default_value_t = 2020)]
        seed: u64,
        /// Spoiled rows per thousand, to exercise the error report.
        #[arg(long, default_value_t = 0)]
        bad_per_mille: u64,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserAction {
    /// Add a user; the password is read from WENJIU_PASSWORD or asked for.
    Add {
        username: String,
        #[arg(long)]
        name: String,
        /// province_admin, city_officer, county_officer, enterprise, auditor
        #[arg(long)]
        role: String,
        /// Region prefix of the data scope: 21, 2101, 210102.
        #[arg(long, conflicts_with = "enterprise")]
        region: Option<String>,
        /// Credit code of an enterprise user's enterprise.
        #[arg(long)]
        enterprise: Option<String>,
    },
    /// Set a new password (from WENJIU_PASSWORD or asked for).
    Passwd { username: String },
    /// Lock a user out, or unlock with --unlock.
    Lock {
        username: String,
        #[arg(long)]
        unlock: bool,
    },
}

#[derive(Subcommand)]
enum AuditAction {
    /// Check the hash chain; names the first broken record.
    Verify,
}

fn kind(s: &str) -> anyhow::Result<Kind> {
    Kind::parse(s).ok_or_else(|| {
        anyhow::anyhow!("未知的数据类别 {s}：应为 person、enterprise、employment 或 unemployment")
    })
}

fn password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("WENJIU_PASSWORD") {
        return Ok(p);
    }
    eprint!("密码：");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// The command line acts as the operating-system user.
fn cli_user() -> String {
    format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "unknown".into())
    )
}

/// Audit events of the command line carry the operating-system user.
fn cli_event(action: &str, target: &str, detail: String) -> wenjiu_store::audit::Event {
    wenjiu_store::audit::Event {
        user_id: None,
        username: cli_user(),
        action: action.into(),
        target: target.into(),
        outcome: "ok".into(),
        detail,
        ip: "local".into(),
    }
}

async fn serve(
    store: Store,
    args: &ServeArgs,
    banner: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    let config = ServerConfig {
        idle_timeout: chrono::Duration::minutes(args.idle_minutes),
        secure_cookies: args.secure_cookies,
        web_dir: args
            .web_dir
            .join("index.html")
            .is_file()
            .then(|| args.web_dir.clone()),
        policy_dir: args.policies.is_dir().then(|| args.policies.clone()),
        ..Default::default()
    };
    if config.web_dir.is_none() {
        tracing::warn!(dir = %args.web_dir.display(), "web console not built: serving the API only");
    }
    if config.policy_dir.is_none() {
        tracing::warn!(dir = %args.policies.display(), "policy catalogue not found: policy routes unavailable");
    }
    let state = AppState::new(store, config)?;
    wenjiu_server::serve(state, args.addr, banner).await?;
    Ok(())
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => {
            let store = args.db.open().await?;
            serve(store, &args, |addr| {
                println!("wenjiu 已启动：http://{addr}/")
            })
            .await
        }
        Command::Demo {
            serve: mut args,
            people,
            seed,
            no_serve,
            no_calibrate,
        } => {
            args.db.as_of = args.db.as_of.or(Some(demo::as_of()));
            let store = args.db.open().await?;
            let started = std::time::Instant::now();
            if let Some(loaded) = demo::load(&store, people, seed, !no_calibrate).await? {
                println!(
                    "演示省份已加载：{loaded} 人，用时 {:.1} 秒",
                    started.elapsed().as_secs_f64()
                );
            }
            if no_serve {
                return Ok(());
            }
            serve(store, &args, |addr| {
                println!(
                    "wenjiu 演示版已启动：http://{addr}/  （业务日期 {}）",
                    demo::as_of()
                );
                println!("演示账号（用户名 / 密码 / 角色）：");
                for (user, name, password, _, _) in demo::ACCOUNTS {
                    println!("  {user:<10} {password:<15} {name}");
                }
            })
            .await
        }
        Command::Screen { db, args } => {
            let store = db.open().await?;
            screen::run(&store, args).await.map(|_| ())
        }
        Command::Migrate { db } => {
            let store = db.open().await?;
            println!("数据库已是最新版本（{}）", store.backend().name());
            Ok(())
        }
        Command::Import {
            db,
            kind: k,
            file,
            rejected,
        } => {
            let kind = kind(&k)?;
            let store = db.open().await?;
            let reader = TableReader::open(&file)?;
            let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
            let progress = bar(0, "导入");
            progress.set_length(size / 60); // rows, estimated from bytes until the end
            let p = progress.clone();
            let scope = Scope::All;
            let started = std::time::Instant::now();
            let report = store
                .import(&scope, kind, reader, move |rows| p.set_position(rows))
                .await?;
            progress.finish_and_clear();
            store
                .audit(cli_event(
                    &format!("{}.import", kind.name()),
                    "",
                    format!(
                        "{}：{} 行，接收 {}，拒绝 {}",
                        file.display(),
                        report.rows,
                        report.accepted,
                        report.rejected_count
                    ),
                ))
                .await?;
            println!(
                "{} 行：接收 {}（新增 {}，更新 {}），拒绝 {}，用时 {:.1} 秒",
                report.rows,
                report.accepted,
                report.inserted,
                report.updated,
                report.rejected_count,
                started.elapsed().as_secs_f64()
            );
            for r in report.rejected.iter().take(20) {
                let why: Vec<String> = r
                    .errors
                    .iter()
                    .map(|e| format!("{} {}", e.column, e.message))
                    .collect();
                println!("  第 {} 行：{}", r.row, why.join(";"));
            }
            if report.rejected_count > 20 {
                println!("  ……共 {} 行被拒绝", report.rejected_count);
            }
            if let (Some(path), true) = (rejected, report.rejected_count > 0) {
                std::fs::write(&path, wenjiu_store::registry::rejected_xlsx(&report)?)?;
                println!("错误行已写入 {}", path.display());
            }
            Ok(())
        }
        Command::User { db, action } => {
            let store = db.open().await?;
            match action {
                UserAction::Add {
                    username,
                    name,
                    role,
                    region,
                    enterprise,
                } => {
                    let id = store
                        .create_user(
                            &Scope::All,
                            NewUser {
                                username: username.clone(),
                                display_name: name,
                                password: password()?,
                                role_code: role,
                                scope_region: region,
                                scope_enterprise: enterprise,
                            },
                        )
                        .await?;
                    store
                        .audit(cli_event(
                            "user.create",
                            &format!("user:{id}"),
                            username.clone(),
                        ))
                        .await?;
                    println!("已创建用户 {username}（id {id}）");
                }
                UserAction::Passwd { username } => {
                    let user = store
                        .user_by_name(&username)
                        .await?
                        .ok_or_else(|| anyhow::anyhow!("用户 {username} 不存在"))?;
                    store.set_password(user.id, &password()?).await?;
                    store
                        .audit(cli_event(
                            "user.password",
                            &format!("user:{}", user.id),
                            String::new(),
                        ))
                        .await?;
                    println!("已修改 {username} 的密码");
                }
                UserAction::Lock { username, unlock } => {
                    let user = store
                        .user_by_name(&username)
                        .await?
                        .ok_or_else(|| anyhow::anyhow!("用户 {username} 不存在"))?;
                    store.set_locked(user.id, !unlock).await?;
                    let action = if unlock { "user.unlock" } else { "user.lock" };
                    store
                        .audit(cli_event(
                            action,
                            &format!("user:{}", user.id),
                            String::new(),
                        ))
                        .await?;
                    println!("已{} {username}", if unlock { "解锁" } else { "锁定" });
                }
            }
            Ok(())
        }
        Command::Audit {
            db,
            action: AuditAction::Verify,
        } => {
            let store = db.open().await?;
            let v = store.audit_verify().await?;
            match v.first_broken {
                None => {
                    println!("审计日志完整：{} 条记录，链头哈希 {}", v.records, v.head);
                    Ok(())
                }
                Some(b) => {
                    anyhow::bail!(
                        "审计日志第 {} 条记录校验失败：{}（此前 {} 条完好）",
                        b.id,
                        b.reason,
                        v.records - 1
                    )
                }
            }
        }
        Command::Bulletin { db, args } => indicators::bulletin(&db.open().await?, args).await,
        Command::Indicators { db, action } => indicators::run(&db.open().await?, action).await,
        Command::Monitoring { db, action } => monitoring::run(&db.open().await?, action).await,
        Command::Policy { action } => policy::run(action),
        Command::Refresh { db } => {
            let store = db.open().await?;
            let progress = bar(0, "重新认定重点群体");
            let p = progress.clone();
            store.refresh_all(move |n| p.set_position(n)).await?;
            progress.finish_and_clear();
            println!(
                "已按业务日期 {} 重新认定重点群体和零就业家庭",
                store.today()
            );
            Ok(())
        }
        Command::Tallies { db } => {
            db.open().await?.rebuild_tallies().await?;
            println!("已按登记数据重新统计人员、登记、单位和家庭汇总数");
            Ok(())
        }
        Command::Openapi { out } => {
            let doc = wenjiu_server::openapi().to_pretty_json()?;
            match out {
                Some(path) => std::fs::write(path, doc + "\n")?,
                None => println!("{doc}"),
            }
            Ok(())
        }
        Command::Gen {
            kind: k,
            people,
            seed,
            bad_per_mille,
            out,
        } => {
            let n = synthfiles::write(kind(&k)?, people, seed, bad_per_mille, &out)?;
            println!("已写入 {}：{n} 行", out.display());
            Ok(())
        }
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("WENJIU_LOG")
                // sqlx's slow-statement notices would drown the command's own output.
                .unwrap_or_else(|_| "wenjiu=info,warn,sqlx::query=error".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e}");
            std::process::ExitCode::FAILURE
        }
    }
}
