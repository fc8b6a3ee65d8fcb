//! What expressions may read: the typed fields of each subject kind and the declared
//! parameters. Policies are checked against it once, when loaded.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::params::Parameters;
use crate::value::{SubjectKind, Type};

#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// Keyed by the full name, e.g. `person.age`.
    fields: BTreeMap<String, Type>,
    params: BTreeMap<String, Type>,
}

impl Schema {
    /// A schema knowing the parameters declared in `params` and no fields yet.
    pub fn new(params: &Parameters) -> Schema {
        Schema {
            fields: BTreeMap::new(),
            params: params.iter().map(|p| (p.name.clone(), p.ty)).collect(),
        }
    }

    /// Declares `root.name` (e.g. `person`, `age`). Fields are columns in batch runs, so only
    /// int, money, bool, string and date fields exist.
    pub fn with_field(mut self, root: SubjectKind, name: &str, ty: Type) -> Result<Schema> {
        let full = format!("{}.{name}", root.name());
        if matches!(ty, Type::Rate | Type::StringList) {
            return Err(Error::FieldValue {
                field: full,
                message: format!("不能是{ty}：字段只能是整数、金额、布尔值、字符串或日期"),
            });
        }
        self.fields.insert(full, ty);
        Ok(self)
    }

    /// The type of a field by its full name.
    pub fn field(&self, full_name: &str) -> Option<Type> {
        self.fields.get(full_name).copied()
    }

    pub fn param(&self, name: &str) -> Option<Type> {
        self.params.get(name).copied()
    }
}
