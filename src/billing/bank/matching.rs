//! Who a bank credit is from and what it pays (pure; the caller looks the candidates up in bulk):
//! the invoice numbers in the remittance text first, then a customer number, then the one open
//! invoice whose open amount is exactly the credit. Anything ambiguous stays unmatched: staff
//! assign it in "Offene Zahlungen" rather than the import guessing.
use super::model::StatementLine;
use std::collections::HashMap;

/// An open invoice as matching sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenInvoice {
    pub id: i32,
    pub customer_id: i32,
    pub open_cents: i64,
}

/// How a credit was matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchedBy {
    InvoiceNumber,
    CustomerNumber,
    Amount,
}

/// A credit's customer and the invoices it pays, in the order named (empty: the customer's
/// oldest open ones, as a payment without allocation is booked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub customer_id: i32,
    pub invoices: Vec<i32>,
    pub by: MatchedBy,
}

/// What the lookups found for a batch of lines.
#[derive(Debug, Default)]
pub struct Candidates {
    /// Open invoices by number.
    pub invoices: HashMap<String, OpenInvoice>,
    /// Customers by number.
    pub customers: HashMap<String, i32>,
    /// Open amounts owed by exactly one open invoice.
    pub unique_amounts: HashMap<i64, OpenInvoice>,
}

/// The words of a remittance text that could be a document or customer number: letters, digits
/// and the separators numbers use inside ('-', '/', '_', '.'), upper-cased, without trailing dots.
pub fn tokens(remittance: &str) -> Vec<String> {
    let words = remittance
        .split(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '/' | '_' | '.')))
        .map(|t| t.trim_matches(|c| matches!(c, '.' | '-' | '/' | '_')).to_uppercase());
    // "RE-1/RE-2" names two documents, and may be one number of a pattern with slashes.
    let mut out: Vec<String> = words
        .flat_map(|w| {
            let parts: Vec<String> =
                if w.contains('/') { w.split('/').map(str::to_string).collect() } else { Vec::new() };
            std::iter::once(w).chain(parts)
        })
        .filter(|t| t.len() >= 3 && t.chars().any(|c| c.is_ascii_digit()))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The proposal for one line, or None (a debit, a return, or nothing certain).
pub fn propose(line: &StatementLine, c: &Candidates) -> Option<Proposal> {
    if line.amount_cents <= 0 || line.is_return {
        return None;
    }
    let words = tokens(&line.remittance);
    // Invoice numbers, in the order the text names them.
    let mut named: Vec<OpenInvoice> = Vec::new();
    for w in line.remittance.split_whitespace().flat_map(tokens) {
        if let Some(inv) = c.invoices.get(&w)
            && !named.iter().any(|n| n.id == inv.id)
        {
            named.push(*inv);
        }
    }
    if let Some(first) = named.first() {
        // One payment for several invoices of one customer; different customers: nothing certain.
        if named.iter().all(|n| n.customer_id == first.customer_id) {
            let invoices = named.iter().map(|n| n.id).collect();
            return Some(Proposal { customer_id: first.customer_id, invoices, by: MatchedBy::InvoiceNumber });
        }
        return None;
    }
    let mut customers: Vec<i32> = words.iter().filter_map(|w| c.customers.get(w).copied()).collect();
    customers.dedup();
    match customers.as_slice() {
        [one] => {
            return Some(Proposal { customer_id: *one, invoices: Vec::new(), by: MatchedBy::CustomerNumber });
        }
        [_, _, ..] => return None,
        [] => {}
    }
    c.unique_amounts.get(&line.amount_cents).map(|inv| Proposal {
        customer_id: inv.customer_id,
        invoices: vec![inv.id],
        by: MatchedBy::Amount,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credit(cents: i64, text: &str) -> StatementLine {
        StatementLine { amount_cents: cents, remittance: text.into(), ..StatementLine::default() }
    }

    fn candidates() -> Candidates {
        let inv = |id, customer_id, open_cents| OpenInvoice { id, customer_id, open_cents };
        Candidates {
            invoices: [
                ("RE-2027-00012", inv(12, 1, 11_900)),
                ("RE-2027-00013", inv(13, 1, 5_950)),
                ("RE-2027-00020", inv(20, 2, 2_380)),
            ]
            .into_iter()
            .map(|(n, i)| (n.to_string(), i))
            .collect(),
            customers: [("K-10001", 1), ("K-10002", 2)]
                .into_iter()
                .map(|(n, c)| (n.to_string(), c))
                .collect(),
            unique_amounts: [(2_380, inv(20, 2, 2_380))].into_iter().collect(),
        }
    }

    #[test]
    fn the_words_that_could_be_numbers() {
        assert_eq!(tokens("Rechnung RE-2027-00012, Kd.-Nr. k-10001. Danke!"), ["K-10001", "RE-2027-00012"]);
        assert_eq!(
            tokens("RE-2027-00012/RE-2027-00013"),
            ["RE-2027-00012", "RE-2027-00012/RE-2027-00013", "RE-2027-00013"]
        );
        assert!(tokens("Miete Januar").is_empty());
    }

    #[test]
    fn invoice_numbers_come_first_then_customer_numbers_then_a_unique_amount() {
        let c = candidates();
        let p = propose(&credit(11_900, "RE-2027-00012 K-10002 Danke"), &c).unwrap();
        assert_eq!(p, Proposal { customer_id: 1, invoices: vec![12], by: MatchedBy::InvoiceNumber });
        // Two invoices of one customer in one transfer, in the order named.
        let p = propose(&credit(17_850, "re-2027-00013 und RE-2027-00012"), &c).unwrap();
        assert_eq!(p.invoices, [13, 12]);
        let p = propose(&credit(17_850, "RE-2027-00012/RE-2027-00013"), &c).unwrap();
        assert_eq!(p.invoices, [12, 13]);
        let p = propose(&credit(5_000, "Kundennr K-10002"), &c).unwrap();
        assert_eq!((p.customer_id, p.by, p.invoices.is_empty()), (2, MatchedBy::CustomerNumber, true));
        let p = propose(&credit(2_380, "Zahlung"), &c).unwrap();
        assert_eq!((p.customer_id, p.invoices.as_slice(), p.by), (2, &[20][..], MatchedBy::Amount));
    }

    #[test]
    fn anything_uncertain_stays_open() {
        let c = candidates();
        // Invoices of two customers, two customer numbers, an amount nobody owes alone.
        assert_eq!(propose(&credit(14_280, "RE-2027-00012 RE-2027-00020"), &c), None);
        assert_eq!(propose(&credit(100, "K-10001 K-10002"), &c), None);
        assert_eq!(propose(&credit(5_950, "Zahlung"), &c), None);
        // Debits and returns are not payments.
        assert_eq!(propose(&credit(-11_900, "RE-2027-00012"), &c), None);
        let back = StatementLine { is_return: true, ..credit(11_900, "RE-2027-00012") };
        assert_eq!(propose(&back, &c), None);
    }
}
