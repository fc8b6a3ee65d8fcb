//! Which subjects a frame holds: those of a region (screening), or those around one registry
//! subject (the packaged check of one person, enterprise or hire). The frames read the
//! registrations and facts of only the subjects they hold.

use wenjiu_rules::SubjectKind;

use crate::Scope;
use crate::sql::Sql;

/// The subjects read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Within<'a> {
    /// Every subject whose region starts with the prefix ("": the whole registry).
    Region(&'a str),
    /// One person, their hires and the enterprises that hired them.
    Person(i64),
    /// One enterprise, its hires and the people it hired.
    Enterprise(i64),
    /// One hire (employment registration), its person and enterprise.
    Hire(i64),
}

impl Within<'_> {
    /// Restricts `sql` (after a `WHERE`) to the rows whose `column`, the id of a subject of
    /// kind `role`, is one of those held. `region` is the column a region prefix applies to;
    /// rows without one (registrations, facts) are all read for a region: a frame's rows take
    /// up theirs.
    pub(crate) fn restrict(
        &self,
        sql: &mut Sql,
        role: SubjectKind,
        column: &str,
        region: Option<&str>,
    ) {
        let (kind, id) = match *self {
            Within::Region(prefix) => {
                if let (false, Some(region)) = (prefix.is_empty(), region) {
                    Scope::push_region(prefix, region, sql);
                }
                return;
            }
            Within::Person(id) => (SubjectKind::Person, id),
            Within::Enterprise(id) => (SubjectKind::Enterprise, id),
            Within::Hire(id) => (SubjectKind::Hire, id),
        };
        if kind == role {
            sql.push(&format!(" AND {column} = ")).bind(id);
            return;
        }
        // Subjects of another kind are related through the employment registrations.
        let key = |k: SubjectKind| match k {
            SubjectKind::Person => "person_id",
            SubjectKind::Enterprise => "enterprise_id",
            SubjectKind::Hire => "id",
        };
        sql.push(&format!(
            " AND {column} IN (SELECT {} FROM employment WHERE kind = 'employer' AND {} = ",
            key(role),
            key(kind)
        ))
        .bind(id)
        .push(")");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn restricted(w: Within, role: SubjectKind) -> String {
        let mut sql = Sql::new("SELECT 1 FROM t WHERE 1 = 1");
        w.restrict(&mut sql, role, "t.id", Some("t.region"));
        sql.text().to_string()
    }

    #[test]
    fn a_subject_holds_itself_and_what_its_registrations_relate_it_to() {
        assert_eq!(
            restricted(Within::Region(""), SubjectKind::Person),
            "SELECT 1 FROM t WHERE 1 = 1"
        );
        assert!(restricted(Within::Region("2101"), SubjectKind::Person).contains("t.region >= $1"));
        let mut facts = Sql::new("SELECT 1 FROM f WHERE 1 = 1");
        Within::Region("2101").restrict(&mut facts, SubjectKind::Person, "f.subject_id", None);
        assert_eq!(facts.text(), "SELECT 1 FROM f WHERE 1 = 1");
        assert_eq!(
            restricted(Within::Person(7), SubjectKind::Person),
            "SELECT 1 FROM t WHERE 1 = 1 AND t.id = $1"
        );
        assert_eq!(
            restricted(Within::Enterprise(7), SubjectKind::Hire),
            "SELECT 1 FROM t WHERE 1 = 1 AND t.id IN (SELECT id FROM employment \
             WHERE kind = 'employer' AND enterprise_id = $1)"
        );
        assert_eq!(
            restricted(Within::Hire(7), SubjectKind::Person),
            "SELECT 1 FROM t WHERE 1 = 1 AND t.id IN (SELECT person_id FROM employment \
             WHERE kind = 'employer' AND id = $1)"
        );
    }
}
