//! Licence keys: 24 symbols of Crockford base32 from the operating system's CSPRNG (120 bits)
//! and one Luhn mod 32 check symbol, shown as five groups of five (`7K3QD-9XW2M-HB4TR-ZC6YP-N8FJ5`).
//! The check symbol catches every mistyped symbol and every swap of two neighbours (except
//! `0`/`Z`), so a typo is refused before any lookup. Stored and compared in the normal form:
//! 25 upper-case symbols without dashes.

/// Crockford's alphabet: no I, L, O, U (they read as 1, 1, 0 or as a word).
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Random symbols in a key; 24 × 5 bits = 120 bits.
pub const RANDOM_SYMBOLS: usize = 24;
/// The normal form's length: the random symbols and the check symbol.
pub const LEN: usize = RANDOM_SYMBOLS + 1;
const GROUP: usize = 5;

/// The value of a symbol as people type it: lower case allowed, `O` read as `0`, `I`/`L` as `1`.
fn value(c: char) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        c => c,
    };
    ALPHABET.iter().position(|&a| a as char == c).map(|p| p as u8)
}

/// Luhn mod 32 over symbol values; `with_check` says whether the last value is the check symbol.
fn luhn_sum(values: &[u8], with_check: bool) -> u32 {
    let mut sum = 0u32;
    // From the right, the symbol next to the check symbol (or the check position) is doubled.
    let mut double = !with_check;
    for &v in values.iter().rev() {
        let mut addend = u32::from(v) * if double { 2 } else { 1 };
        addend = addend / 32 + addend % 32;
        sum += addend;
        double = !double;
    }
    sum
}

fn check_symbol(values: &[u8]) -> u8 {
    ((32 - luhn_sum(values, false) % 32) % 32) as u8
}

/// A new key in its normal form (25 symbols, no dashes).
pub fn generate() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 15];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let values = symbols_from_bits(&bytes);
    normal_of(&values)
}

/// 15 bytes = 120 bits as 24 five-bit values.
fn symbols_from_bits(bytes: &[u8; 15]) -> [u8; RANDOM_SYMBOLS] {
    let mut out = [0u8; RANDOM_SYMBOLS];
    let mut acc: u32 = 0;
    let mut bits = 0;
    let mut i = 0;
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out[i] = ((acc >> bits) & 31) as u8;
            i += 1;
        }
    }
    out
}

fn normal_of(values: &[u8]) -> String {
    let mut s: String = values.iter().map(|&v| ALPHABET[v as usize] as char).collect();
    s.push(ALPHABET[check_symbol(values) as usize] as char);
    s
}

/// The normal form of what someone typed, if it is a well-formed key with a valid check symbol:
/// dashes, spaces and underscores are ignored, lower case and the look-alikes O, I, L accepted.
pub fn parse(input: &str) -> Option<String> {
    let mut values = Vec::with_capacity(LEN);
    for c in input.trim().chars() {
        if matches!(c, '-' | ' ' | '_') {
            continue;
        }
        values.push(value(c)?);
        if values.len() > LEN {
            return None;
        }
    }
    if values.len() != LEN || !luhn_sum(&values, true).is_multiple_of(32) {
        return None;
    }
    Some(values.iter().map(|&v| ALPHABET[v as usize] as char).collect())
}

/// A normal-form key as shown: five groups of five, joined by dashes.
pub fn display(normal: &str) -> String {
    let chars: Vec<char> = normal.chars().collect();
    chars.chunks(GROUP).map(|g| g.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_has_120_random_bits_and_parses_in_every_spelling() {
        let key = generate();
        assert_eq!(key.len(), LEN);
        assert_eq!(parse(&key).as_deref(), Some(key.as_str()));
        let shown = display(&key);
        assert_eq!(shown.len(), LEN + 4);
        assert_eq!(shown.matches('-').count(), 4);
        assert_eq!(parse(&shown).as_deref(), Some(key.as_str()));
        assert_eq!(parse(&shown.to_lowercase()).as_deref(), Some(key.as_str()));
        assert_eq!(parse(&format!("  {}  ", shown.replace('-', " "))).as_deref(), Some(key.as_str()));
        // 24 symbols × 5 bits: every bit of the 15 random bytes lands in a symbol.
        assert_eq!(symbols_from_bits(&[0xFF; 15]), [31; RANDOM_SYMBOLS]);
        assert_eq!(symbols_from_bits(&[0; 15]), [0; RANDOM_SYMBOLS]);
        let mut one = [0u8; 15];
        one[14] = 1;
        assert_eq!(symbols_from_bits(&one)[RANDOM_SYMBOLS - 1], 1);
    }

    #[test]
    fn look_alikes_read_as_the_symbols_they_resemble() {
        // All zeros: its check symbol is 0 too.
        let zeros = "0".repeat(LEN);
        assert_eq!(parse(&zeros).as_deref(), Some(zeros.as_str()));
        assert_eq!(parse(&"o".repeat(LEN)).as_deref(), Some(zeros.as_str()));
        let ones = normal_of(&[1; RANDOM_SYMBOLS]);
        assert_eq!(parse(&ones.replace('1', "l")), Some(ones.clone()));
        assert_eq!(parse(&ones.replace('1', "I")), Some(ones));
        assert_eq!(parse(&"U".repeat(LEN)), None, "U is not a symbol");
    }

    #[test]
    fn wrong_lengths_and_foreign_characters_are_not_keys() {
        let key = generate();
        assert_eq!(parse(&key[..LEN - 1]), None);
        assert_eq!(parse(&format!("{key}0")), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse(&format!("{}ä", &key[..LEN - 1])), None);
        assert_eq!(parse("K-10001"), None, "a customer number is not a key");
    }

    /// Every single mistyped symbol and every swap of neighbours (bar 0 and Z, whose values
    /// 0 and 31 Luhn cannot tell apart) is caught, over 10,000 keys.
    #[test]
    fn the_check_symbol_catches_every_typo_and_every_swap() {
        for _ in 0..10_000 {
            let key: Vec<u8> = generate().chars().map(|c| value(c).unwrap()).collect();
            for pos in 0..LEN {
                for v in 0..32u8 {
                    if v == key[pos] {
                        continue;
                    }
                    let mut typo = key.clone();
                    typo[pos] = v;
                    assert!(!luhn_sum(&typo, true).is_multiple_of(32), "typo at {pos} not caught");
                }
                if pos + 1 < LEN && key[pos] != key[pos + 1] {
                    let pair = (key[pos].min(key[pos + 1]), key[pos].max(key[pos + 1]));
                    let mut swapped = key.clone();
                    swapped.swap(pos, pos + 1);
                    if pair != (0, 31) {
                        assert!(!luhn_sum(&swapped, true).is_multiple_of(32), "swap at {pos} not caught");
                    }
                }
            }
        }
    }
}
