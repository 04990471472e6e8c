//! A SEPA Core direct debit file, ISO 20022 pain.008.001.08, written with quick-xml: one
//! payment information block per sequence type (FRST, RCUR), each transaction with its mandate,
//! the debtor's account and the invoice number as remittance text; `BtchBookg=false`, so the
//! bank credits every collection as an entry of its own that the statement import matches by
//! its end-to-end id. Texts are reduced to the EPC's Latin character set.
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::io;

/// The creditor: the operator.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Creditor {
    pub name: String,
    pub iban: String,
    /// Empty: NOTPROVIDED (IBAN-only).
    pub bic: String,
    /// The creditor identifier (Gläubiger-ID).
    pub creditor_id: String,
}

/// One collection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Debit {
    pub end_to_end_id: String,
    pub amount_cents: i64,
    pub mandate: String,
    pub signed_on: chrono::NaiveDate,
    /// FRST | RCUR
    pub sequence: String,
    pub debtor: String,
    pub iban: String,
    pub bic: String,
    pub remittance: String,
}

/// The file's header and its collections.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Collection {
    pub message_id: String,
    /// ISO date-time of creation.
    pub created_at: String,
    pub collection_date: chrono::NaiveDate,
    pub creditor: Creditor,
    pub debits: Vec<Debit>,
}

/// A text in the EPC's Latin set (a-z A-Z 0-9 / - ? : ( ) . , ' + space): German letters
/// transliterated, anything else a space; at most `max` characters.
pub fn latin(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'Ä' => out.push_str("Ae"),
            'Ö' => out.push_str("Oe"),
            'Ü' => out.push_str("Ue"),
            'ß' => out.push_str("ss"),
            'é' | 'è' | 'ê' => out.push('e'),
            'á' | 'à' | 'â' => out.push('a'),
            '&' => out.push('+'),
            c if c.is_ascii_alphanumeric() || " /-?:().,'+".contains(c) => out.push(c),
            _ => out.push(' '),
        }
    }
    let trimmed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    trimmed.chars().take(max).collect()
}

/// Cents as the file writes amounts: "1234.50".
fn amount(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

type W = Writer<Vec<u8>>;

fn leaf(w: &mut W, name: &str, text: &str) -> io::Result<()> {
    w.create_element(name).write_text_content(BytesText::new(text))?;
    Ok(())
}

fn node(w: &mut W, name: &str, inner: impl FnOnce(&mut W) -> io::Result<()>) -> io::Result<()> {
    w.create_element(name).write_inner_content(inner)?;
    Ok(())
}

fn agent(w: &mut W, name: &str, bic: &str) -> io::Result<()> {
    node(w, name, |w| {
        node(w, "FinInstnId", |w| {
            if bic.is_empty() {
                node(w, "Othr", |w| leaf(w, "Id", "NOTPROVIDED"))
            } else {
                leaf(w, "BICFI", bic)
            }
        })
    })
}

fn account(w: &mut W, name: &str, iban: &str) -> io::Result<()> {
    node(w, name, |w| node(w, "Id", |w| leaf(w, "IBAN", iban)))
}

fn payment_info(w: &mut W, c: &Collection, sequence: &str, debits: &[&Debit]) -> io::Result<()> {
    let total: i64 = debits.iter().map(|d| d.amount_cents).sum();
    node(w, "PmtInf", |w| {
        leaf(w, "PmtInfId", &latin(&format!("{}-{sequence}", c.message_id), 35))?;
        leaf(w, "PmtMtd", "DD")?;
        leaf(w, "BtchBookg", "false")?;
        leaf(w, "NbOfTxs", &debits.len().to_string())?;
        leaf(w, "CtrlSum", &amount(total))?;
        node(w, "PmtTpInf", |w| {
            node(w, "SvcLvl", |w| leaf(w, "Cd", "SEPA"))?;
            node(w, "LclInstrm", |w| leaf(w, "Cd", "CORE"))?;
            leaf(w, "SeqTp", sequence)
        })?;
        leaf(w, "ReqdColltnDt", &c.collection_date.to_string())?;
        node(w, "Cdtr", |w| leaf(w, "Nm", &latin(&c.creditor.name, 70)))?;
        account(w, "CdtrAcct", &c.creditor.iban)?;
        agent(w, "CdtrAgt", &c.creditor.bic)?;
        leaf(w, "ChrgBr", "SLEV")?;
        node(w, "CdtrSchmeId", |w| {
            node(w, "Id", |w| {
                node(w, "PrvtId", |w| {
                    node(w, "Othr", |w| {
                        leaf(w, "Id", &c.creditor.creditor_id)?;
                        node(w, "SchmeNm", |w| leaf(w, "Prtry", "SEPA"))
                    })
                })
            })
        })?;
        for d in debits {
            node(w, "DrctDbtTxInf", |w| {
                node(w, "PmtId", |w| leaf(w, "EndToEndId", &latin(&d.end_to_end_id, 35)))?;
                w.create_element("InstdAmt")
                    .with_attribute(("Ccy", "EUR"))
                    .write_text_content(BytesText::new(&amount(d.amount_cents)))?;
                node(w, "DrctDbtTx", |w| {
                    node(w, "MndtRltdInf", |w| {
                        leaf(w, "MndtId", &latin(&d.mandate, 35))?;
                        leaf(w, "DtOfSgntr", &d.signed_on.to_string())?;
                        leaf(w, "AmdmntInd", "false")
                    })
                })?;
                agent(w, "DbtrAgt", &d.bic)?;
                node(w, "Dbtr", |w| leaf(w, "Nm", &latin(&d.debtor, 70)))?;
                account(w, "DbtrAcct", &d.iban)?;
                node(w, "RmtInf", |w| leaf(w, "Ustrd", &latin(&d.remittance, 140)))
            })?;
        }
        Ok(())
    })
}

/// The pain.008.001.08 document for `c` (its debits grouped FRST first, then RCUR).
pub fn write(c: &Collection) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
    let total: i64 = c.debits.iter().map(|d| d.amount_cents).sum();
    let written: io::Result<()> = (|| {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.create_element("Document")
            .with_attribute(("xmlns", "urn:iso:std:iso:20022:tech:xsd:pain.008.001.08"))
            .write_inner_content(|w| {
                node(w, "CstmrDrctDbtInitn", |w| {
                    node(w, "GrpHdr", |w| {
                        leaf(w, "MsgId", &latin(&c.message_id, 35))?;
                        leaf(w, "CreDtTm", &c.created_at)?;
                        leaf(w, "NbOfTxs", &c.debits.len().to_string())?;
                        leaf(w, "CtrlSum", &amount(total))?;
                        node(w, "InitgPty", |w| leaf(w, "Nm", &latin(&c.creditor.name, 70)))
                    })?;
                    for sequence in ["FRST", "RCUR"] {
                        let debits: Vec<&Debit> =
                            c.debits.iter().filter(|d| d.sequence == sequence).collect();
                        if !debits.is_empty() {
                            payment_info(w, c, sequence, &debits)?;
                        }
                    }
                    Ok(())
                })
            })?;
        Ok(())
    })();
    // Writing into a Vec cannot fail.
    written.expect("writing XML into memory");
    String::from_utf8(w.into_inner()).expect("quick-xml writes UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_reduced_to_the_epc_latin_set() {
        assert_eq!(latin("Müller & Söhne GmbH — Straße", 70), "Mueller + Soehne GmbH Strasse");
        assert_eq!(latin("RE-2027-00012 (Januar)", 140), "RE-2027-00012 (Januar)");
        assert_eq!(latin("abcdef", 3), "abc");
    }

    #[test]
    fn amounts_and_totals_use_a_dot_and_two_places() {
        assert_eq!(amount(11_900), "119.00");
        assert_eq!(amount(5), "0.05");
        let day = chrono::NaiveDate::from_ymd_opt(2027, 1, 20).unwrap();
        let debit = |e2e: &str, cents, seq: &str| Debit {
            end_to_end_id: e2e.into(),
            amount_cents: cents,
            mandate: "M-1".into(),
            signed_on: day,
            sequence: seq.into(),
            debtor: "Jörg".into(),
            iban: "DE02120300000000202051".into(),
            remittance: "RE-1".into(),
            ..Debit::default()
        };
        let xml = write(&Collection {
            message_id: "SEPA-1".into(),
            created_at: "2027-01-15T10:00:00".into(),
            collection_date: day,
            creditor: Creditor {
                name: "Hostwerk".into(),
                iban: "DE89370400440532013000".into(),
                ..Creditor::default()
            },
            debits: vec![
                debit("E2E-1", 11_900, "RCUR"),
                debit("E2E-2", 5_950, "FRST"),
                debit("E2E-3", 1, "RCUR"),
            ],
        });
        assert!(xml.contains("<NbOfTxs>3</NbOfTxs>") && xml.contains("<CtrlSum>178.51</CtrlSum>"), "{xml}");
        // FRST before RCUR, each with its own totals.
        let first = xml.find("<SeqTp>FRST</SeqTp>").unwrap();
        assert!(first < xml.find("<SeqTp>RCUR</SeqTp>").unwrap());
        assert!(xml.contains("<CtrlSum>119.01</CtrlSum>") && xml.contains("<Nm>Joerg</Nm>"), "{xml}");
        assert!(xml.contains("<Othr>\n") || xml.contains("NOTPROVIDED"), "{xml}");
    }
}
