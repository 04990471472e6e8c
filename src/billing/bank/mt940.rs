//! MT940 account statements (SWIFT, with the German DK conventions) read into statement lines.
//! Accepts what banks send (CRLF, `-` between messages, `{1:…}{4:` envelopes) and what PyPI
//! `mt940-writer` writes (LF, no `-`, a trailing space after the account).
use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};

use super::model::{ParseError, StatementLine};
use super::mt940_details::{self, amount_cents};
use crate::billing::amount::parse_scaled;

/// Reads every statement (`:20:` … `:62F:`) of an MT940 file, one line per `:61:` entry. The caller
/// decodes the bytes (DK files are ISO-8859-1/CP1252). `Unknown` when there is no `:20:` with
/// statement fields; `Malformed`, with its line number, for a `:61:` that cannot be read.
pub fn parse(text: &str) -> Result<Vec<StatementLine>, ParseError> {
    let fields = fields(text);
    let has = |tags: &[&str]| fields.iter().any(|f| tags.contains(&f.tag));
    if !has(&["20"]) || !has(&["25", "60F", "60M", "61"]) {
        return Err(ParseError::Unknown);
    }
    let mut lines = Vec::new();
    // (statement, entry) pairs given out: a file may repeat a statement id (constant :28C:).
    let mut seen = HashSet::new();
    let mut current: Option<Statement> = None;
    // Entries are numbered through the file: the fallback reference when a bank gives none.
    let mut previous = "";
    for field in &fields {
        let value = field.lines[0].trim();
        match field.tag {
            "20" => {
                if let Some(done) = current.replace(Statement::new(value)) {
                    done.finish(&mut seen, &mut lines);
                }
            }
            "61" => {
                let Some(statement) = current.as_mut() else {
                    return Err(malformed(field.line, ":61: comes before the statement's :20:"));
                };
                // Numbered within its statement: a fallback key must not depend on what else
                // the file holds (an export of two days, then one of the second day alone).
                let position = statement.entries.len() + 1;
                statement.entries.push(Pending { entry: entry(field)?, details: Vec::new(), position });
            }
            // Only right after its :61:; an :86: elsewhere speaks of the statement.
            "86" if previous == "61" => {
                if let Some(pending) = current.as_mut().and_then(|s| s.entries.last_mut()) {
                    pending.details = field.lines.clone();
                }
            }
            tag => {
                if let Some(statement) = current.as_mut() {
                    statement.header(tag, value);
                }
            }
        }
        previous = field.tag;
    }
    if let Some(done) = current {
        done.finish(&mut seen, &mut lines);
    }
    Ok(lines)
}

fn malformed(line: usize, what: &str) -> ParseError {
    ParseError::Malformed(format!("line {line}: {what}"))
}

/// A field of the file: its tag ("61"), the line it starts on (1-based), its lines (the first
/// without the tag).
struct Field<'a> {
    tag: &'a str,
    line: usize,
    lines: Vec<&'a str>,
}

fn fields(text: &str) -> Vec<Field<'_>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: Vec<&str> = if text.contains('\n') {
        text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect()
    } else {
        text.split('\r').collect()
    };
    let mut fields: Vec<Field> = Vec::new();
    // Whether a line without a tag continues the last field (not after a message's end).
    let mut open = false;
    for (n, mut line) in raw.into_iter().enumerate() {
        if let Some(rest) = line.trim_start().strip_prefix("-}") {
            open = false;
            line = rest;
        }
        let line = strip_blocks(line);
        if line.trim() == "-" {
            open = false;
        } else if let Some((tag, content)) = split_tag(line) {
            fields.push(Field { tag, line: n + 1, lines: vec![content] });
            open = true;
        } else if open
            && !line.trim().is_empty()
            && let Some(last) = fields.last_mut()
        {
            last.lines.push(line);
        }
    }
    fields
}

/// Drops the SWIFT envelope at a line's start: `{1:…}{2:…}{3:{…}}`, the opening `{4:` and a
/// `{5:…}` trailer.
fn strip_blocks(mut line: &str) -> &str {
    loop {
        let b = line.as_bytes();
        if !(b.len() >= 3 && b[0] == b'{' && b[1].is_ascii_digit() && b[2] == b':') {
            return line;
        }
        if b[1] == b'4' {
            return &line[3..];
        }
        let mut depth = 0;
        let mut end = None;
        for (i, c) in line.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(i + 1);
                        break;
                    }
                }
                _ => {}
            }
        }
        match end {
            Some(end) => line = &line[end..],
            None => return "",
        }
    }
}

/// `:61:rest` → ("61", "rest"); a tag is two digits or capitals and maybe a capital (`28C`, `NS`).
fn split_tag(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix(':')?;
    let end = rest.find(':')?;
    let tag = &rest[..end];
    let b = tag.as_bytes();
    let capital_or_digit = |c: &u8| c.is_ascii_digit() || c.is_ascii_uppercase();
    let ok = (2..=3).contains(&b.len())
        && b[..2].iter().all(capital_or_digit)
        && b[2..].iter().all(u8::is_ascii_uppercase);
    ok.then_some((tag, &rest[end + 1..]))
}

struct Statement<'a> {
    reference: String,
    account: String,
    number: String,
    /// The opening balance's date (YYMMDD): banks reuse `:20:` and `:28C:` (often "1" or
    /// "00000/001" every day), so the statement's key carries the day it opened.
    opened: String,
    currency: String,
    entries: Vec<Pending<'a>>,
}

/// A `:61:` read, with its `:86:` lines still to be read.
struct Pending<'a> {
    entry: Entry,
    details: Vec<&'a str>,
    position: usize,
}

struct Entry {
    value_on: NaiveDate,
    booked_on: NaiveDate,
    /// C, D, RC (reversal of a credit: money out) or RD (reversal of a debit: money in).
    mark: &'static str,
    cents: i64,
    /// NTRF, NRTI, N051 …
    kind: String,
    customer_ref: String,
    bank_ref: String,
    /// The second line, e.g. "/OCMT/EUR59,50//CHGS/EUR3,00/".
    supplementary: String,
}

impl Statement<'_> {
    fn new(reference: &str) -> Self {
        Statement {
            reference: reference.to_string(),
            account: String::new(),
            number: String::new(),
            opened: String::new(),
            currency: String::new(),
            entries: Vec::new(),
        }
    }

    fn header(&mut self, tag: &str, value: &str) {
        match tag {
            "25" => self.account = value.to_string(),
            "28C" | "28" => self.number = value.to_string(),
            "60F" | "60M" if self.opened.is_empty() => {
                let day = value.get(1..7).filter(|d| d.bytes().all(|b| b.is_ascii_digit()));
                self.opened = day.unwrap_or("").to_string();
                self.currency_from(value);
            }
            // The opening balance's currency; the closing one's only when that is missing.
            "62F" | "62M" => self.currency_from(value),
            _ => {}
        }
    }

    /// The opening balance's currency; the closing one's only when that is missing.
    fn currency_from(&mut self, balance: &str) {
        if self.currency.is_empty() {
            let currency = balance.get(7..10).filter(|c| c.bytes().all(|b| b.is_ascii_uppercase()));
            self.currency = currency.unwrap_or("").to_string();
        }
    }

    fn finish(self, seen: &mut HashSet<(String, String)>, out: &mut Vec<StatementLine>) {
        let statement = match self.opened.as_str() {
            "" => format!("{}/{}", self.reference, self.number),
            opened => format!("{}/{}/{opened}", self.reference, self.number),
        };
        for pending in self.entries {
            let details = mt940_details::read(&pending.details);
            let e = pending.entry;
            let reference = [&e.bank_ref, &e.customer_ref]
                .into_iter()
                .find(|r| !r.is_empty() && !r.eq_ignore_ascii_case("NONREF"))
                .cloned();
            let mut entry = reference.unwrap_or_else(|| format!("#{}", pending.position));
            // The key (account, statement, entry) must stay unique.
            if !seen.insert((statement.clone(), entry.clone())) {
                entry = format!("{entry}#{}", pending.position);
                seen.insert((statement.clone(), entry.clone()));
            }
            let money_in = matches!(e.mark, "C" | "RD");
            let is_return = matches!(details.gvc.as_deref(), Some("108" | "109"))
                || (e.kind == "NRTI" && e.mark == "D" && !details.end_to_end_id.is_empty());
            // The bank's total charges first; else the other bank's compensation; else what a return
            // took beyond the original amount.
            let charges_cents = supplementary_charges(&e.supplementary)
                .or(details.compensation_cents)
                .or_else(|| details.original_cents.filter(|_| is_return).map(|o| e.cents - o))
                .filter(|c| *c > 0)
                .unwrap_or(0);
            out.push(StatementLine {
                account: self.account.clone(),
                statement: statement.clone(),
                entry,
                booked_on: Some(e.booked_on),
                value_on: Some(e.value_on),
                amount_cents: if money_in { e.cents } else { -e.cents },
                currency: self.currency.clone(),
                counterparty: details.counterparty,
                counterparty_iban: details.counterparty_iban,
                remittance: details.remittance,
                end_to_end_id: details.end_to_end_id,
                mandate_id: details.mandate_id,
                is_return,
                // ?34 is a text key extension on every entry; a reason only on a return.
                return_reason: if is_return { details.text_key_extension } else { String::new() },
                charges_cents,
                code: details.gvc.map_or(e.kind, |gvc| format!("GVC {gvc}")),
            });
        }
    }
}

/// `/CHGS/EUR3,00/` in the supplementary details → 300.
fn supplementary_charges(supplementary: &str) -> Option<i64> {
    let (_, rest) = supplementary.split_once("/CHGS/")?;
    amount_cents(rest.split('/').next()?)
}

/// Reads `:61:` — YYMMDD[MMDD](C|D|RC|RD)[funds code]amount type customer-ref[//bank-ref], then an
/// optional line of supplementary details.
fn entry(field: &Field) -> Result<Entry, ParseError> {
    let bad = |what: String| malformed(field.line, &format!(":61: {what}"));
    let text = field.lines[0].trim();
    let (value, rest) = take_digits(text, 6).ok_or_else(|| bad("has no value date (YYMMDD)".into()))?;
    let value_on = value_date(value).ok_or_else(|| bad(format!("has an invalid value date {value}")))?;
    let (booked_on, rest) = match take_digits(rest, 4) {
        Some((mmdd, rest)) => {
            let booked_on = entry_date(value_on, mmdd);
            (booked_on.ok_or_else(|| bad(format!("has an invalid entry date {mmdd}")))?, rest)
        }
        None => (value_on, rest),
    };
    let mark = ["RC", "RD", "C", "D"]
        .into_iter()
        .find(|m| rest.starts_with(m))
        .ok_or_else(|| bad("has no credit/debit mark (C, D, RC, RD)".into()))?;
    let mut rest = &rest[mark.len()..];
    // The funds code (the currency's third letter) that some banks add.
    if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        rest = &rest[1..];
    }
    let end = rest.find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.')).unwrap_or(rest.len());
    let amount = &rest[..end];
    let cents =
        parse_scaled(amount, 2).ok_or_else(|| bad(format!("has an unreadable amount \"{amount}\"")))?;
    let rest = &rest[end..];
    let kind = rest
        .get(..4)
        .filter(|k| {
            let b = k.as_bytes();
            matches!(b[0], b'N' | b'F' | b'S') && b[1..].iter().all(u8::is_ascii_alphanumeric)
        })
        .ok_or_else(|| bad("has no transaction type (such as NTRF) after the amount".into()))?;
    let references = &rest[4..];
    let (customer_ref, bank_ref) = references.split_once("//").unwrap_or((references, ""));
    Ok(Entry {
        value_on,
        booked_on,
        mark,
        cents,
        kind: kind.to_string(),
        customer_ref: customer_ref.trim().to_string(),
        bank_ref: bank_ref.trim().to_string(),
        supplementary: field.lines[1..].concat().trim().to_string(),
    })
}

fn take_digits(text: &str, n: usize) -> Option<(&str, &str)> {
    let head = text.get(..n)?;
    head.bytes().all(|b| b.is_ascii_digit()).then_some((head, &text[n..]))
}

fn value_date(yymmdd: &str) -> Option<NaiveDate> {
    let yy: i32 = yymmdd[..2].parse().ok()?;
    // Two-digit years: nothing from before 1980 reaches a billing system.
    let year = if yy >= 80 { 1900 + yy } else { 2000 + yy };
    NaiveDate::from_ymd_opt(year, yymmdd[2..4].parse().ok()?, yymmdd[4..6].parse().ok()?)
}

/// The entry date has no year: the value date's, one off when the months lie far apart (value
/// 31.12.2025 booked 0102 → 02.01.2026; value 02.01.2026 booked 1231 → 31.12.2025).
fn entry_date(value_on: NaiveDate, mmdd: &str) -> Option<NaiveDate> {
    let month: u32 = mmdd[..2].parse().ok()?;
    let gap = month as i32 - value_on.month() as i32;
    let year = value_on.year()
        + if gap > 6 {
            -1
        } else if gap < -6 {
            1
        } else {
            0
        };
    NaiveDate::from_ymd_opt(year, month, mmdd[2..].parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    /// As PyPI mt940-writer 0.8 writes it (docs/design/bank-samples/mt940_demo.py): LF, a space
    /// after the account, no closing "-", one :86: line (free text may still come in two).
    const WRITER: &str = ":20:STARTUMS\n\
        :25:DE89370400440532013000 \n\
        :28C:1/1\n\
        :60F:C261201EUR1000,00\n\
        :61:2612011201C119,00NTRFNONREF\n\
        :86:166?00GUTSCHR. UEBERWEISUNG?20EREF+RE-2026-00012?21SVWZ+RE-2026-00012 KD-1001\
        ?32MUSTER GMBH?31DE02120300000000202051\n\
        :61:2612011201C25,00NTRFNONREF\n\
        :86:Miete Dezember\n\
        Lager 4\n\
        :61:2612011201D3,00NCHGNONREF\n\
        :86:808?00ENTGELT?20KONTOFUEHRUNG\n\
        :62F:C261201EUR1141,00";

    /// A German bank's file: two messages ended by "-", :86: wrapped at 65 characters (through a
    /// keyword, a name and a `?25` mark), 27-character purpose lines, a return debit with its
    /// supplementary details.
    const BANK: &str = ":20:STARTUMSE\n\
        :25:37040044/0532013000\n\
        :28C:00336/001\n\
        :60F:C261130EUR1000,00\n\
        :61:2612011201D62,50NRTINONREF//BANKREF-0002\n\
        /OCMT/EUR59,50//CHGS/EUR3,00/\n\
        :86:109?00RUECKLASTSCHRIFT?109250?20EREF+E2E-RE-2026-00031?21MR\n\
        EF+M-0007?22CRED+DE98ZZZ09999999999?23COAM+3,00?24OAMT+59,50?2\n\
        5SVWZ+RE-2026-00031?30BYLADEM1001?31DE02120300000000202051?32ERIK\n\
        A MUSTERMANN?34MS03\n\
        :62F:C261201EUR937,50\n\
        -\n\
        :20:STARTUMSE\n\
        :25:37040044/0532013000\n\
        :28C:00337/001\n\
        :60F:C261201EUR937,50\n\
        :61:2612021202C59,50NTRF2026120200017//BANKREF-0003\n\
        :86:166?00SEPA GUTSCHRIFT?109310?20EREF+NOTPROVIDED?21SVWZ+\n\
        Zahlung zu RE-2026-000?2231 vielen Dank?30BYLADEM1001?31DE021203\n\
        00000000202051?32ERIKA MUSTERMANN\n\
        :62F:C261202EUR997,00\n\
        -\n";

    #[test]
    fn mt940_writer_output_is_read() {
        let lines = parse(WRITER).unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(
            lines[0],
            StatementLine {
                account: "DE89370400440532013000".into(),
                statement: "STARTUMS/1/1/261201".into(),
                entry: "#1".into(),
                booked_on: day(2026, 12, 1),
                value_on: day(2026, 12, 1),
                amount_cents: 11_900,
                currency: "EUR".into(),
                counterparty: "MUSTER GMBH".into(),
                counterparty_iban: "DE02120300000000202051".into(),
                remittance: "RE-2026-00012 KD-1001".into(),
                end_to_end_id: "RE-2026-00012".into(),
                mandate_id: String::new(),
                is_return: false,
                return_reason: String::new(),
                charges_cents: 0,
                code: "GVC 166".into(),
            }
        );
        // Free text: all of it is the remittance, no counterparty, the SWIFT type as the code.
        let free = &lines[1];
        assert_eq!((free.entry.as_str(), free.amount_cents), ("#2", 2_500));
        assert_eq!((free.remittance.as_str(), free.counterparty.as_str()), ("Miete Dezember Lager 4", ""));
        assert_eq!(free.code, "NTRF");
        let debit = &lines[2];
        assert_eq!((debit.entry.as_str(), debit.amount_cents, debit.is_return), ("#3", -300, false));
        assert_eq!((debit.remittance.as_str(), debit.code.as_str()), ("KONTOFUEHRUNG", "GVC 808"));
    }

    #[test]
    fn a_return_debit_is_the_original_plus_the_fee() {
        let lines = parse(BANK).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[0],
            StatementLine {
                account: "37040044/0532013000".into(),
                statement: "STARTUMSE/00336/001/261130".into(),
                entry: "BANKREF-0002".into(),
                booked_on: day(2026, 12, 1),
                value_on: day(2026, 12, 1),
                // 59,50 € collected, 3,00 € charged on top.
                amount_cents: -6_250,
                currency: "EUR".into(),
                counterparty: "ERIKA MUSTERMANN".into(),
                counterparty_iban: "DE02120300000000202051".into(),
                remittance: "RE-2026-00031".into(),
                end_to_end_id: "E2E-RE-2026-00031".into(),
                mandate_id: "M-0007".into(),
                is_return: true,
                return_reason: "MS03".into(),
                charges_cents: 300,
                code: "GVC 109".into(),
            }
        );
    }

    #[test]
    fn two_statements_in_one_file_and_crlf_reads_the_same() {
        let lines = parse(BANK).unwrap();
        let credit = &lines[1];
        assert_eq!(credit.statement, "STARTUMSE/00337/001/261201");
        assert_eq!((credit.entry.as_str(), credit.amount_cents), ("BANKREF-0003", 5_950));
        assert_eq!((credit.booked_on, credit.value_on), (day(2026, 12, 2), day(2026, 12, 2)));
        // The full 27-character ?21 cut the invoice number; ?22 carries on without a space.
        assert_eq!(credit.remittance, "Zahlung zu RE-2026-00031 vielen Dank");
        assert_eq!(credit.end_to_end_id, "", "EREF+NOTPROVIDED is no reference");
        assert_eq!((credit.is_return, credit.return_reason.as_str(), credit.charges_cents), (false, "", 0));
        assert_eq!(parse(&BANK.replace('\n', "\r\n")).unwrap(), lines);
        assert_eq!(parse(&WRITER.replace('\n', "\r\n")).unwrap(), parse(WRITER).unwrap());
    }

    /// In a SWIFT envelope: the year turns between value and entry date, reversals, a repeated
    /// reference, a funds code, a return known by NRTI + EREF alone.
    const SWIFT: &str = "{1:F01COBADEFFXXXX0000000000}{2:O9401200260102COBADEFFXXXX00000000002601021200N}\
        {3:{108:MT940}}{4:\r\n\
        :20:940S260102\r\n\
        :25:DE89370400440532013000\r\n\
        :28C:1/1\r\n\
        :60F:C251230EUR500,00\r\n\
        :61:2512310102D10,00NDDTREF-1//B-1\r\n\
        :86:105?00LASTSCHRIFT?20SVWZ+Strom Dezember?32STADTWERKE\r\n\
        :61:2512310102RD10,00NDDTREF-1//B-1\r\n\
        :86:Storno Lastschrift\r\n\
        :61:2512310102RC5,00NTRFREF-2\r\n\
        :61:2601021231DR7,50NRTINONREF\r\n\
        :86:105?00RUECKBELASTUNG?20EREF+E2E-RE-2025-00099?21OAMT+5,00?22SVWZ+RE-2025-00099?34901\r\n\
        :62F:C260102EUR487,50\r\n\
        -}{5:{CHK:0123456789AB}}\r\n";

    #[test]
    fn envelope_year_rollover_reversals_and_repeated_references() {
        let lines = parse(SWIFT).unwrap();
        let got: Vec<_> =
            lines.iter().map(|l| (l.entry.as_str(), l.amount_cents, l.booked_on, l.value_on)).collect();
        assert_eq!(
            got,
            [
                ("B-1", -1_000, day(2026, 1, 2), day(2025, 12, 31)),
                // RD reverses a debit: money back in. The same bank reference again gets its position.
                ("B-1#2", 1_000, day(2026, 1, 2), day(2025, 12, 31)),
                // RC reverses a credit: money out. No bank reference: the customer's.
                ("REF-2", -500, day(2026, 1, 2), day(2025, 12, 31)),
                ("#4", -750, day(2025, 12, 31), day(2026, 1, 2)),
            ]
        );
        assert!(lines.iter().all(|l| l.statement == "940S260102/1/1/251230" && l.currency == "EUR"));
        let (remittance, counterparty) = (lines[0].remittance.as_str(), lines[0].counterparty.as_str());
        assert_eq!((remittance, counterparty), ("Strom Dezember", "STADTWERKE"));
        assert_eq!((lines[2].remittance.as_str(), lines[2].code.as_str()), ("", "NTRF"));
        let ret = &lines[3];
        assert_eq!((ret.is_return, ret.return_reason.as_str(), ret.code.as_str()), (true, "901", "GVC 105"));
        // No /CHGS/, no COAM+: the fee is what went beyond OAMT+.
        assert_eq!((ret.end_to_end_id.as_str(), ret.charges_cents), ("E2E-RE-2025-00099", 250));
    }

    #[test]
    fn a_statement_id_repeated_in_the_file_keeps_its_entries_apart() {
        // Some banks write the same :20:/:28C: into every message.
        let message = ":20:STARTUMSE\n:25:12030000/0000202051\n:28C:00000/001\n:60F:C261201EUR0,00\n\
            :61:2612011201C1,00NTRFNONREF//X\n:61:2612011201C2,00NTRFNONREF\n:62F:C261201EUR3,00\n-\n";
        let lines = parse(&message.repeat(2)).unwrap();
        let entries: Vec<_> = lines.iter().map(|l| (l.statement.as_str(), l.entry.as_str())).collect();
        let id = "STARTUMSE/00000/001/261201";
        assert_eq!(entries, [(id, "X"), (id, "#2"), (id, "X#1"), (id, "#2#2")]);
        // The next day's statement under the same :20:/:28C: is another statement.
        let next = message.replace("C261201EUR0,00", "C261202EUR3,00").replace("2612011201", "2612021202");
        let lines = parse(&next).unwrap();
        assert_eq!(
            (lines[0].statement.as_str(), lines[0].entry.as_str()),
            ("STARTUMSE/00000/001/261202", "X")
        );
    }

    #[test]
    fn compensation_is_the_fee_without_supplementary_details() {
        let text = ":20:S\n:25:DE89370400440532013000\n:28C:7\n:60F:C261201EUR0,00\n\
            :61:261201D10,00NRTINONREF\n\
            :86:108?20EREF+E2E-1?21MREF+M-1?22COAM+1,50?23OAMT+8,50?34AC04\n:62F:D261201EUR10,00\n";
        let line = &parse(text).unwrap()[0];
        // Without an entry date the value date is the booking date.
        assert_eq!((line.booked_on, line.statement.as_str()), (day(2026, 12, 1), "S/7/261201"));
        assert_eq!((line.is_return, line.charges_cents, line.return_reason.as_str()), (true, 150, "AC04"));
    }

    #[test]
    fn what_is_no_mt940_is_unknown_an_unreadable_entry_malformed() {
        assert_eq!(parse(""), Err(ParseError::Unknown));
        assert_eq!(parse("Buchungstag;Betrag\n01.12.2026;12,00\n"), Err(ParseError::Unknown));
        assert_eq!(parse("<?xml version=\"1.0\"?><Document/>"), Err(ParseError::Unknown));
        let with = |entry: &str| {
            parse(&format!(":20:S\n:25:DE89370400440532013000\n:28C:1\n:60F:C261201EUR0,00\n:61:{entry}\n"))
        };
        for (entry, says) in [
            ("26120C1,00NTRF", "value date"),
            ("2613011301C1,00NTRFNONREF", "invalid value date 261301"),
            ("2612011232C1,00NTRFNONREF", "invalid entry date 1232"),
            ("2612011201X1,00NTRFNONREF", "credit/debit mark"),
            ("2612011201C1,234NTRFNONREF", "amount \"1,234\""),
            ("2612011201C,NTRFNONREF", "amount \",\""),
            ("2612011201C1,00", "transaction type"),
            ("2612011201C1,00X123NONREF", "transaction type"),
        ] {
            match with(entry) {
                Err(ParseError::Malformed(m)) => {
                    assert!(m.starts_with("line 5: :61: ") && m.contains(says), "{entry}: {m}")
                }
                other => panic!("{entry}: {other:?}"),
            }
        }
        assert_eq!(with("2612011201C1,00NTRFNONREF").unwrap().len(), 1);
        // A statement without entries is fine.
        let empty = ":20:S\n:25:DE89370400440532013000\n:28C:1\n:60F:C261201EUR0,00\n:62F:C261201EUR0,00";
        assert_eq!(parse(empty), Ok(vec![]));
    }
}
