//! Domain types and rules of wenjiu, with no I/O.
//!
//! Newtypes that parse (`IdCardNo`, `CreditCode`, `RegionCode`, `Money`, `Month`, ...) so that
//! invalid data cannot exist past the edge of the system; fixed code tables; key-group
//! derivation; and the record validators shared by the HTTP API and imports. Every error has a
//! Chinese message and a stable machine code ([`Error::code`]).
//!
//! ```
//! use std::collections::HashMap;
//! use wenjiu_core::{NewPerson, RegionCode};
//!
//! let row: HashMap<&str, &str> = [
//!     ("name", "张三"),
//!     ("id_no", "11010519491231002X"),
//!     ("hukou", "城镇"),
//!     ("region", "210102"),
//! ]
//! .into();
//! let person = NewPerson::from_fields(&|key| row.get(key).copied()).unwrap();
//! assert_eq!(person.region.full_name(), "辽宁省沈阳市和平区");
//! assert_eq!(person.id_no.masked(), "1101**********002X");
//!
//! let errors = NewPerson::from_fields(&|_| None).unwrap_err();
//! assert_eq!(errors[0].to_string(), "姓名为必填项");
//! assert_eq!(RegionCode::parse("2101").unwrap().name(), "沈阳市");
//! ```

mod code_table;

mod codes;
mod creditcode;
mod date;
mod employment;
mod enterprise;
mod error;
mod fields;
mod idcard;
pub mod indicators;
mod industry;
mod keygroups;
mod money;
pub mod monitoring;
mod month;
mod person;
mod region;
mod unemployment;

pub use codes::{
    AreaKind, Education, EmploymentKind, EntityKind, Hukou, Ownership, PersonStatus, Sex,
    SizeClass, UnemploymentEnd, UnemploymentReason,
};
pub use creditcode::CreditCode;
pub use date::parse_date;
pub use employment::{EMPLOYMENT_COLUMNS, NewEmployment};
pub use enterprise::{ENTERPRISE_COLUMNS, NewEnterprise};
pub use error::{Error, Result};
pub use fields::{Column, FieldError, find_column, parse_yes_no};
pub use idcard::{IdCardNo, age_on, mask, months_of_age};
pub use industry::IndustryCode;
pub use keygroups::{
    CategoryRule, Derived, DifficultyCategory, KeyGroup, MIN_WORKING_AGE, MemberFacts, PersonFacts,
    default_difficulty_categories, derive_key_groups, is_working_age, is_zero_employment_household,
    retirement_age_months, whole_months_reached,
};
pub use money::Money;
pub use month::{BUSINESS_YEARS, Month};
pub use person::{
    NewPerson, PERSON_ATTRIBUTES, PERSON_COLUMNS, parse_mobile, parse_person_attributes,
    parse_person_name,
};
pub use region::{RegionCode, RegionLevel, RegionPrefix, provinces};
pub use unemployment::{NewUnemployment, UNEMPLOYMENT_COLUMNS};
