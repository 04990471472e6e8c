//! Secrets out of logs: every password, API key and hash a job knows is replaced before a line
//! reaches the provisioning log, the job's last error or tracing.

/// What stands in for a secret.
pub const MASK: &str = "••••";

#[derive(Default)]
pub struct Redactor {
    secrets: Vec<String>,
}

impl Redactor {
    /// Remember `secret`; empty and very short values are ignored (masking every "a" would
    /// make logs unreadable and protects nothing).
    pub fn add(&mut self, secret: &str) {
        if secret.len() >= 4 && !self.secrets.iter().any(|s| s == secret) {
            self.secrets.push(secret.to_string());
            // Longest first, so a secret containing another is masked whole.
            self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }

    pub fn apply(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.secrets {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), MASK);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_every_secret_longest_first() {
        let mut r = Redactor::default();
        r.add("abc");
        r.add("s3cretpass");
        r.add("*4ACFE3202A5FF5CF467898FC58AAB1D615029441");
        r.add("s3cret");
        let text = "login s3cretpass failed; hash *4ACFE3202A5FF5CF467898FC58AAB1D615029441; abc s3cret";
        assert_eq!(r.apply(text), "login •••• failed; hash ••••; abc ••••");
    }
}
