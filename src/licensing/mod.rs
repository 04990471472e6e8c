//! Software licences' own rules, apart from where they are stored: the key format and the
//! signatures that let the licensed software check a licence offline.
pub mod key;
pub mod sign;
