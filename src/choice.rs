//! Typed choices: a closed set of values stored and sent as short lowercase words. One macro
//! gives each its enum, its serde form (the word), the list in display order, and parsing of
//! stored text, so no code compares such values as strings.

/// `choice! { pub enum Priority default Medium { Low = "low", Medium = "medium" } }`: variants
/// in display order. `parse` reads stored text (None for an unknown word); `as_str` is the word.
#[macro_export]
macro_rules! choice {
    ($(#[$meta:meta])* $vis:vis enum $name:ident default $default:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        $vis enum $name {
            $(#[serde(rename = $text)] $variant,)+
        }

        impl Default for $name {
            fn default() -> Self {
                $name::$default
            }
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and transmitted word.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The value a stored word names; None for an unknown word.
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl $crate::choice::Choice for $name {
            fn all() -> &'static [Self] {
                Self::ALL
            }
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
            fn parse(text: &str) -> Option<Self> {
                $name::parse(text)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// What every choice offers, for code generic over choices (a select field, stored lists).
pub trait Choice: Copy + PartialEq + Send + Sync + 'static {
    fn all() -> &'static [Self];
    fn as_str(self) -> &'static str;
    fn parse(text: &str) -> Option<Self>;
}

/// A list of choices as stored text (comma-separated words).
pub fn join<T: Choice>(items: &[T]) -> String {
    items.iter().map(|i| i.as_str()).collect::<Vec<_>>().join(",")
}

/// Stored text (comma-separated words) as a list of choices; unknown words are dropped.
pub fn split<T: Choice>(text: &str) -> Vec<T> {
    text.split(',').filter_map(|w| T::parse(w.trim())).collect()
}

#[cfg(test)]
mod tests {
    crate::choice! {
        enum Level default High { Low = "low", High = "high" }
    }

    #[test]
    fn words_round_trip_and_unknown_words_are_refused() {
        assert_eq!(Level::default(), Level::High);
        assert_eq!(Level::ALL, &[Level::Low, Level::High]);
        for l in Level::ALL {
            assert_eq!(Level::parse(l.as_str()), Some(*l));
            assert_eq!(serde_json::to_string(l).unwrap(), format!("\"{l}\""));
        }
        assert_eq!(Level::parse("medium"), None);
        assert!(serde_json::from_str::<Level>("\"medium\"").is_err());
        assert_eq!(super::join(&[Level::High, Level::Low]), "high,low");
        assert_eq!(super::split::<Level>("high,,medium,low"), vec![Level::High, Level::Low]);
    }
}
