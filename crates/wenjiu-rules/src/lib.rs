//! Rules as code: policies in TOML with conditions and amounts in CEL, dated regional
//! parameters, evaluation of one subject with a trace that cites the law, and batch evaluation
//! of whole columns of subjects. Generic: it knows nothing of employment, and does no I/O
//! beyond parsing the text it is given.
//!
//! A policy file (every key is checked; unknown keys are errors):
//!
//! ```toml
//! id = "hiring-subsidy"
//! name = "一次性吸纳就业补贴"
//! subject = "hire"                 # person | enterprise | hire (an enterprise × a person)
//! fund = "就业补助资金"
//! exclusion_group = "hiring"       # optional: not combinable with others of the group
//! once_per_subject = true          # optional, default false
//! # granted_per = "year"           # or "month": paid once per period; not with once_per_subject
//! legal_basis = { document = "辽政发〔2020〕9号", clause = "第三条 …" }
//! validity = { from = 2020-01-01, to = 2020-12-31 }   # `to` optional, inclusive
//!
//! [[conditions]]
//! name = "contract"
//! clause = "签订一年以上劳动合同"
//! expr = 'hire.contract_months >= param("hiring_min_contract_months")'
//!
//! [amount]                         # in fen
//! formula = 'min(param("hiring_months"), 6) * person.monthly_employer_si_fen'
//! cap = 'param("hiring_cap")'      # optional: integer fen or an expression
//! round = "down_to_yuan"           # down_to_fen | half_up_to_fen | down_to_yuan | half_up_to_yuan
//! ```
//!
//! A parameter file:
//!
//! ```toml
//! [[param]]
//! name = "hiring_months"
//! type = "int"                     # int | money (fen) | rate ("2/3", "0.5", "5.5%") | bool
//! unit = "月"                      #   | string | date | string_list
//! description = "按几个月的单位缴费计发"
//! [[param.values]]
//! from = 2020-01-01
//! region = "21"                    # province default; "2102" a city, "210202" a county
//! value = 3
//! source = "辽政发〔2020〕9号 第三条"
//! ```
//!
//! Expressions read `root.field` (declared in the [`Schema`]) and `param("name")`, and may use
//! literals (`3`, `0.5` exact, `"code"`, `true`, `date("2020-12-31")`, `["a", "b"]`),
//! `+ - * /` (exact; units checked: money × rate is money, money × money an error),
//! comparisons, `&& || !`, `c ? a : b`, `x in list`, `min`, `max` and `size`.

mod amount;
mod batch;
mod error;
mod eval;
mod expr;
mod frame;
mod parallel;
mod params;
mod policy;
mod region_params;
mod schema;
mod trace;
mod value;
mod values;
mod vector;
mod whatif;

pub use amount::{AmountSteps, Rounding};
pub use batch::{PolicyResults, evaluate_batch};
pub use error::{Error, Result};
pub use eval::{Subject, evaluate};
pub use frame::{Column, Frame};
pub use params::{ParamChange, ParamValue, Parameter, Parameters, convert as param_value};
pub use policy::{Amount, Condition, Formula, GrantPeriod, LegalBasis, Policy, PolicySet};
pub use schema::Schema;
pub use trace::{
    AmountTrace, ConditionTrace, Evaluation, FieldRead, Outcome, ParamRead, Reads, Trace,
};
pub use value::{SubjectKind, Type, Value, rate_text};
pub use whatif::{CityDelta, Totals, totals_by_city, what_if};
