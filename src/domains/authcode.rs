//! Auth codes (EPP authInfo) we set on the domains we register: registries ask for 6–32
//! characters mixing letters, digits and a sign; 16 from the OS's generator give about 95 bits.
use rand::Rng;

const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
const DIGITS: &[u8] = b"23456789";
const SIGNS: &[u8] = b"+-_=!";
pub const LENGTH: usize = 16;

/// A fresh code with at least one character of each class, in random order.
pub fn generate() -> String {
    let mut rng = rand::rngs::OsRng;
    let all: Vec<u8> = [UPPER, LOWER, DIGITS, SIGNS].concat();
    let mut code: Vec<u8> =
        [UPPER, LOWER, DIGITS, SIGNS].iter().map(|set| set[rng.gen_range(0..set.len())]).collect();
    while code.len() < LENGTH {
        code.push(all[rng.gen_range(0..all.len())]);
    }
    // Fisher–Yates, so the classes do not sit at fixed places.
    for i in (1..code.len()).rev() {
        code.swap(i, rng.gen_range(0..=i));
    }
    String::from_utf8(code).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_code_mixes_every_class_and_differs_each_time() {
        let a = super::generate();
        assert_eq!(a.len(), super::LENGTH);
        for set in [super::UPPER, super::LOWER, super::DIGITS, super::SIGNS] {
            assert!(a.bytes().any(|b| set.contains(&b)), "{a}");
        }
        assert_ne!(a, super::generate());
    }
}
