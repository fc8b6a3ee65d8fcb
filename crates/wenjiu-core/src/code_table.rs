//! `code_table!`: defines a small fixed code table as an enum.
//!
//! Each entry has a stable English snake code (what the database stores), a Chinese label (what
//! users see and type) and optional extra aliases accepted on input (common abbreviations found
//! in spreadsheets). The macro keeps all tables behaving identically: same parsing, same serde
//! form (the code), same error.

macro_rules! code_table {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $title:literal {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $code:literal, $label:literal $(, $alias:literal)*;
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Chinese name of this code table, used in error messages.
            pub const TITLE: &'static str = $title;

            /// Stable English snake code, stored in the database.
            pub fn code(&self) -> &'static str {
                match self { $( $name::$variant => $code, )+ }
            }

            /// Chinese label shown to users.
            pub fn label(&self) -> &'static str {
                match self { $( $name::$variant => $label, )+ }
            }

            /// Every entry, in display order.
            pub fn all() -> &'static [$name] {
                &[ $( $name::$variant, )+ ]
            }

            /// Accepts the code (any case) or the Chinese label (or a listed alias).
            pub fn parse(text: &str) -> $crate::Result<$name> {
                let t = text.trim();
                $(
                    if t.eq_ignore_ascii_case($code) || t == $label $(|| t == $alias)* {
                        return Ok($name::$variant);
                    }
                )+
                Err($crate::Error::CodeUnknown {
                    table: $title,
                    text: t.to_string(),
                    options: [$($label),+].join("、"),
                })
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.label())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::Error;
            fn from_str(s: &str) -> $crate::Result<$name> {
                $name::parse(s)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<$name, D::Error> {
                let text = <::std::string::String as ::serde::Deserialize>::deserialize(d)?;
                $name::parse(&text).map_err(::serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use code_table;
