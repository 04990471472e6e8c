//! SQLite reads `$1` as a *named* parameter, and sqlx asks SQLite for every parameter's name
//! while binding, which SQLite answers by walking its list of names: binding a statement of n
//! values takes n² steps. The billing run's multi-row writes (thousands of values each) spent
//! more than half of the run there. Anonymous `?` placeholders have no names; written in text
//! order, with the values ordered (and repeated) to match, they bind in n steps.
use sea_orm::Value;

/// `sql` with each `$N` outside quotes turned into `?` and the values in the order of their
/// placeholders. Unchanged (still correct, only slower to bind) when the text has what this
/// does not read: a `?` already, a comment, a backtick or bracket name, a `$` inside a name, or
/// a `$N` beyond the values given.
pub fn positional(sql: &str, values: Vec<Value>) -> (String, Vec<Value>) {
    let mut out = String::with_capacity(sql.len());
    let mut ordered = Vec::with_capacity(values.len());
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '?' | '`' | '[') => return (sql.to_string(), values),
            (None, '-' | '/') if matches!((c, chars.peek()), ('-', Some('-')) | ('/', Some('*'))) => {
                return (sql.to_string(), values);
            }
            (None, '$') => {
                if previous.is_alphanumeric() || previous == '_' {
                    return (sql.to_string(), values);
                }
                let mut n = 0usize;
                let mut digits = 0;
                while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    n = n.saturating_mul(10).saturating_add(d as usize);
                    digits += 1;
                    chars.next();
                }
                match values.get(n.wrapping_sub(1)) {
                    Some(v) if digits > 0 => ordered.push(v.clone()),
                    _ => return (sql.to_string(), values),
                }
                out.push('?');
                previous = '?';
                continue;
            }
            _ => {}
        }
        out.push(c);
        previous = c;
    }
    (out, ordered)
}

#[cfg(test)]
mod tests {
    use super::positional;
    use sea_orm::Value;

    fn ints(v: &[i32]) -> Vec<Value> {
        v.iter().map(|i| (*i).into()).collect()
    }

    #[test]
    fn placeholders_become_anonymous_in_text_order() {
        let (sql, values) = positional(
            "SELECT $2, $1 WHERE a = $2 AND b = '$1' AND \"c$1\" = $10",
            ints(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
        );
        assert_eq!(sql, "SELECT ?, ? WHERE a = ? AND b = '$1' AND \"c$1\" = ?");
        assert_eq!(values, ints(&[2, 1, 2, 10]));
    }

    #[test]
    fn statements_it_cannot_read_stay_as_they_are() {
        for sql in [
            "SELECT ?, $1",
            "SELECT $3",
            "SELECT $",
            "SELECT $1 -- $2",
            "SELECT /* $2 */ $1",
            "SELECT a$1 FROM t WHERE b = $2",
            "SELECT `x`, $1",
            "SELECT [x], $1",
        ] {
            let (out, values) = positional(sql, ints(&[1, 2]));
            assert_eq!((out.as_str(), values), (sql, ints(&[1, 2])));
        }
    }
}
