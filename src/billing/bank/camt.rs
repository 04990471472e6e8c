//! CAMT.053 (ISO 20022 bank-to-customer statement), versions .001.02 to .001.08 as German banks
//! export them, read by element names whatever the namespace version. Only booked entries count;
//! an entry that books several transactions at once (a batch) gives one line per transaction.
//! A return debit (Rücklastschrift) is a debit marked as unpaid direct debit (UPDD, PRDD, RCDD),
//! or carrying return information, or with the German proprietary code 108/109.
use super::model::{ParseError, StatementLine};
use chrono::NaiveDate;
use roxmltree::{Document, Node};

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| c.is_element() && c.tag_name().name() == name)
}

fn children<'a, 'i>(node: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// The element at `path` below `node` (first match at each step).
fn at<'a, 'i>(node: Node<'a, 'i>, path: &[&str]) -> Option<Node<'a, 'i>> {
    path.iter().try_fold(node, |n, name| child(n, name))
}

fn text(node: Node<'_, '_>, path: &[&str]) -> String {
    at(node, path).and_then(|n| n.text()).map(str::trim).unwrap_or_default().to_string()
}

/// "119.00" / "3" → cents, exactly.
pub fn cents(amount: &str) -> Option<i64> {
    let t = amount.trim();
    let (units, fraction) = t.split_once('.').unwrap_or((t, ""));
    if units.is_empty() || !units.bytes().all(|b| b.is_ascii_digit()) || fraction.len() > 2 {
        return None;
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
    units.parse::<i64>().ok()?.checked_mul(100)?.checked_add(fraction)
}

/// A date or date-time element's day.
fn day(node: Node<'_, '_>, path: &[&str]) -> Option<NaiveDate> {
    let n = at(node, path)?;
    let t = text(n, &["Dt"]);
    let t = if t.is_empty() { text(n, &["DtTm"]) } else { t };
    NaiveDate::parse_from_str(t.get(..10)?, "%Y-%m-%d").ok()
}

fn amount(node: Option<Node<'_, '_>>) -> Result<Option<(i64, String)>, ParseError> {
    let Some(n) = node else { return Ok(None) };
    let value = n.text().unwrap_or_default();
    let c = cents(value).ok_or_else(|| ParseError::Malformed(format!("amount {value:?}")))?;
    Ok(Some((c, n.attribute("Ccy").unwrap_or_default().to_string())))
}

/// What the bank charged on a transaction: v02 `Chrgs/Amt` (one or several), v08 `Chrgs/Rcrd/Amt`.
fn charges(tx: Node<'_, '_>) -> Result<i64, ParseError> {
    let mut total = 0;
    for c in children(tx, "Chrgs") {
        let direct = children(c, "Amt").map(Some);
        let records = children(c, "Rcrd").map(|r| child(r, "Amt"));
        for a in direct.chain(records) {
            total += amount(a)?.map_or(0, |(c, _)| c);
        }
    }
    Ok(total)
}

/// The transaction code as given, and whether it marks a return debit and its reason.
fn code(entry: Node<'_, '_>) -> (String, bool, String) {
    let b = at(entry, &["BkTxCd"]);
    let domain = b.map(|b| {
        (text(b, &["Domn", "Cd"]), text(b, &["Domn", "Fmly", "Cd"]), text(b, &["Domn", "Fmly", "SubFmlyCd"]))
    });
    let proprietary = b.map(|b| text(b, &["Prtry", "Cd"])).unwrap_or_default();
    let (d, f, s) = domain.unwrap_or_default();
    let unpaid = matches!(s.as_str(), "UPDD" | "PRDD" | "RCDD");
    // German banks: "NRTI+109+<prima nota>+<reason>" (108 B2B, 109 core).
    let parts: Vec<&str> = proprietary.split('+').collect();
    let gvc_return = parts.get(1).is_some_and(|g| matches!(*g, "108" | "109"));
    let reason =
        if gvc_return { parts.get(3).copied().unwrap_or_default().to_string() } else { String::new() };
    let shown = match (d.is_empty(), proprietary.is_empty()) {
        (false, false) => format!("{d}/{f}/{s} {proprietary}"),
        (false, true) => format!("{d}/{f}/{s}"),
        _ => proprietary.clone(),
    };
    (shown, unpaid || gvc_return, reason)
}

/// The other party of a transaction: the payer of a credit or of a returned direct debit, the
/// payee of any other debit.
fn party(tx: Node<'_, '_>, debtor: bool) -> (String, String) {
    let (who, account) = if debtor { ("Dbtr", "DbtrAcct") } else { ("Cdtr", "CdtrAcct") };
    let Some(p) = at(tx, &["RltdPties"]) else { return Default::default() };
    // v02 Dbtr/Nm, v08 Dbtr/Pty/Nm.
    let mut name = text(p, &[who, "Nm"]);
    if name.is_empty() {
        name = text(p, &[who, "Pty", "Nm"]);
    }
    (name, text(p, &[account, "Id", "IBAN"]))
}

fn remittance(tx: Node<'_, '_>) -> String {
    let Some(r) = at(tx, &["RmtInf"]) else { return String::new() };
    let unstructured = children(r, "Ustrd").filter_map(|u| u.text()).map(str::trim);
    let structured = children(r, "Strd").map(|s| text(s, &["CdtrRefInf", "Ref"]));
    let parts: Vec<String> =
        unstructured.map(str::to_string).chain(structured).filter(|t| !t.is_empty()).collect();
    parts.join(" ")
}

/// Read a CAMT.053 file's booked entries.
pub fn parse(xml: &str) -> Result<Vec<StatementLine>, ParseError> {
    let doc = Document::parse(xml).map_err(|_| ParseError::Unknown)?;
    let root = doc.root_element();
    let report = (root.tag_name().name() == "Document").then(|| child(root, "BkToCstmrStmt")).flatten();
    let Some(report) = report else { return Err(ParseError::Unknown) };
    let mut out = Vec::new();
    for stmt in children(report, "Stmt") {
        let statement = text(stmt, &["Id"]);
        let mut account = text(stmt, &["Acct", "Id", "IBAN"]);
        if account.is_empty() {
            account = text(stmt, &["Acct", "Id", "Othr", "Id"]);
        }
        let currency = text(stmt, &["Acct", "Ccy"]);
        // Booked entries counted alone: a fallback key must not move when a pending one books.
        let mut booked = 0;
        for (position, entry) in children(stmt, "Ntry").enumerate() {
            // v02 <Sts>BOOK</Sts>, v08 <Sts><Cd>BOOK</Cd></Sts>; pending and informational ones wait.
            let status = text(entry, &["Sts"]);
            let status = if status.is_empty() { text(entry, &["Sts", "Cd"]) } else { status };
            if !status.is_empty() && status != "BOOK" {
                continue;
            }
            booked += 1;
            let (total, ccy) = amount(child(entry, "Amt"))?
                .ok_or_else(|| ParseError::Malformed(format!("entry {} without amount", position + 1)))?;
            let debit = match text(entry, &["CdtDbtInd"]).as_str() {
                "CRDT" => false,
                "DBIT" => true,
                other => {
                    return Err(ParseError::Malformed(format!(
                        "entry {}: CdtDbtInd {other:?}",
                        position + 1
                    )));
                }
            };
            let sign = if debit { -1 } else { 1 };
            let mut key = text(entry, &["NtryRef"]);
            if key.is_empty() {
                key = text(entry, &["AcctSvcrRef"]);
            }
            if key.is_empty() {
                key = format!("#{booked}");
            }
            let (code, coded_return, coded_reason) = code(entry);
            let txs: Vec<Node> = children(entry, "NtryDtls").flat_map(|d| children(d, "TxDtls")).collect();
            let batch = txs.len() > 1;
            let details: Vec<Option<Node>> =
                if txs.is_empty() { vec![None] } else { txs.into_iter().map(Some).collect() };
            for (i, tx) in details.into_iter().enumerate() {
                let own = match tx {
                    // A batch's transactions carry their own amounts (v02 AmtDtls/TxAmt, v08 Amt).
                    Some(t) if batch => {
                        amount(at(t, &["Amt"]).or_else(|| at(t, &["AmtDtls", "TxAmt", "Amt"])))?
                            .map(|(c, _)| c)
                            .ok_or_else(|| {
                                ParseError::Malformed(format!(
                                    "entry {}: batch without amounts",
                                    position + 1
                                ))
                            })?
                    }
                    _ => total,
                };
                let reason = tx.map(|t| text(t, &["RtrInf", "Rsn", "Cd"])).unwrap_or_default();
                let is_return = debit && (coded_return || !reason.is_empty());
                let (counterparty, counterparty_iban) =
                    tx.map(|t| party(t, !debit || is_return)).unwrap_or_default();
                let mut remittance_text = tx.map(remittance).unwrap_or_default();
                if remittance_text.is_empty() {
                    remittance_text = text(entry, &["AddtlNtryInf"]);
                }
                let end_to_end = tx.map(|t| text(t, &["Refs", "EndToEndId"])).unwrap_or_default();
                out.push(StatementLine {
                    account: account.clone(),
                    statement: statement.clone(),
                    entry: if batch { format!("{key}/{}", i + 1) } else { key.clone() },
                    booked_on: day(entry, &["BookgDt"]),
                    value_on: day(entry, &["ValDt"]),
                    amount_cents: sign * own,
                    currency: if ccy.is_empty() { currency.clone() } else { ccy.clone() },
                    counterparty,
                    counterparty_iban,
                    remittance: remittance_text,
                    end_to_end_id: if end_to_end == "NOTPROVIDED" { String::new() } else { end_to_end },
                    mandate_id: tx.map(|t| text(t, &["Refs", "MndtId"])).unwrap_or_default(),
                    is_return,
                    return_reason: if reason.is_empty() { coded_reason.clone() } else { reason },
                    charges_cents: match tx {
                        Some(t) => charges(t)?,
                        None => 0,
                    },
                    code: code.clone(),
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const V08: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
 <BkToCstmrStmt>
  <GrpHdr><MsgId>M1</MsgId><CreDtTm>2027-01-06T08:00:00</CreDtTm></GrpHdr>
  <Stmt>
   <Id>STMT-1</Id>
   <Acct><Id><IBAN>DE02120300000000202051</IBAN></Id><Ccy>EUR</Ccy></Acct>
   <Ntry>
    <NtryRef>E1</NtryRef><Amt Ccy="EUR">119.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
    <Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2027-01-05</Dt></BookgDt><ValDt><Dt>2027-01-05</Dt></ValDt>
    <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
    <NtryDtls><TxDtls>
     <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
     <RltdPties><Dbtr><Pty><Nm>Musterbau GmbH</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct></RltdPties>
     <RmtInf><Ustrd>RE-2027-00012</Ustrd><Ustrd>Danke</Ustrd></RmtInf>
    </TxDtls></NtryDtls>
   </Ntry>
   <Ntry>
    <Amt Ccy="EUR">62.50</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
    <BookgDt><DtTm>2027-01-06T09:30:00</DtTm></BookgDt>
    <AcctSvcrRef>SVC-9</AcctSvcrRef>
    <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>IDDT</Cd><SubFmlyCd>UPDD</SubFmlyCd></Fmly></Domn>
     <Prtry><Cd>NRTI+109+9248+MS03</Cd><Issr>DK</Issr></Prtry></BkTxCd>
    <NtryDtls><TxDtls>
     <Refs><EndToEndId>E2E-RE-2027-00013</EndToEndId><MndtId>MNDT-K10002-1</MndtId></Refs>
     <AmtDtls><InstdAmt><Amt Ccy="EUR">59.50</Amt></InstdAmt></AmtDtls>
     <Chrgs><TtlChrgsAndTaxAmt Ccy="EUR">3.00</TtlChrgsAndTaxAmt><Rcrd><Amt Ccy="EUR">3.00</Amt></Rcrd></Chrgs>
     <RltdPties><Dbtr><Pty><Nm>Anna Beispiel</Nm></Pty></Dbtr></RltdPties>
     <RtrInf><Rsn><Cd>MS03</Cd></Rsn></RtrInf>
    </TxDtls></NtryDtls>
   </Ntry>
   <Ntry>
    <Amt Ccy="EUR">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>PDNG</Cd></Sts>
   </Ntry>
   <Ntry>
    <Amt Ccy="EUR">30.5</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
    <AddtlNtryInf>Sammelgutschrift</AddtlNtryInf>
    <NtryDtls>
     <TxDtls><Amt Ccy="EUR">20.50</Amt><RmtInf><Ustrd>K-10001</Ustrd></RmtInf></TxDtls>
     <TxDtls><Amt Ccy="EUR">10.00</Amt><RmtInf><Strd><CdtrRefInf><Ref>RF18539007547034</Ref></CdtrRefInf></Strd></RmtInf></TxDtls>
    </NtryDtls>
   </Ntry>
  </Stmt>
 </BkToCstmrStmt>
</Document>"#;

    #[test]
    fn amounts_are_read_to_the_cent() {
        assert_eq!(cents("119.00"), Some(11_900));
        assert_eq!(cents("30.5"), Some(3_050));
        assert_eq!(cents("7"), Some(700));
        for bad in ["", "1.234", "-5.00", "1,00", "a.00"] {
            assert_eq!(cents(bad), None, "{bad}");
        }
    }

    #[test]
    fn booked_entries_become_lines_with_their_references() {
        let lines = parse(V08).unwrap();
        assert_eq!(lines.len(), 4, "the pending entry waits; the batch gives two");
        let a = &lines[0];
        assert_eq!(
            (a.account.as_str(), a.statement.as_str(), a.entry.as_str()),
            ("DE02120300000000202051", "STMT-1", "E1")
        );
        assert_eq!(
            (a.amount_cents, a.currency.as_str(), a.booked_on),
            (11_900, "EUR", NaiveDate::from_ymd_opt(2027, 1, 5))
        );
        assert_eq!(
            (a.counterparty.as_str(), a.counterparty_iban.as_str()),
            ("Musterbau GmbH", "DE89370400440532013000")
        );
        assert_eq!(a.remittance, "RE-2027-00012 Danke");
        assert_eq!((a.end_to_end_id.as_str(), a.is_return), ("", false));
    }

    #[test]
    fn a_return_debit_names_the_collection_its_reason_and_the_fee() {
        let r = &parse(V08).unwrap()[1];
        assert_eq!(
            (r.entry.as_str(), r.amount_cents, r.booked_on),
            ("SVC-9", -6_250, NaiveDate::from_ymd_opt(2027, 1, 6))
        );
        assert!(r.is_return);
        assert_eq!((r.end_to_end_id.as_str(), r.mandate_id.as_str()), ("E2E-RE-2027-00013", "MNDT-K10002-1"));
        assert_eq!((r.return_reason.as_str(), r.charges_cents), ("MS03", 300));
        assert_eq!(r.counterparty, "Anna Beispiel");
        assert!(r.code.contains("UPDD") && r.code.contains("NRTI+109"), "{}", r.code);
    }

    #[test]
    fn a_batch_gives_a_line_per_transaction_with_its_own_amount() {
        let lines = parse(V08).unwrap();
        let (b1, b2) = (&lines[2], &lines[3]);
        assert_eq!((b1.entry.as_str(), b1.amount_cents, b1.remittance.as_str()), ("#3/1", 2_050, "K-10001"));
        assert_eq!(
            (b2.entry.as_str(), b2.amount_cents, b2.remittance.as_str()),
            ("#3/2", 1_000, "RF18539007547034")
        );
    }

    #[test]
    fn the_v02_layout_and_a_proprietary_return_code_are_read() {
        let v02 = r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
          <Stmt><Id>S2</Id><Acct><Id><IBAN>DE02120300000000202051</IBAN></Id></Acct>
          <Ntry><Amt Ccy="EUR">59.50</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
           <BkTxCd><Prtry><Cd>NRTI+109+9248+AC04</Cd><Issr>ZKA</Issr></Prtry></BkTxCd>
           <NtryDtls><TxDtls><Refs><EndToEndId>E2E-1</EndToEndId></Refs><Chrgs><Amt Ccy="EUR">2.50</Amt></Chrgs>
            <RltdPties><Dbtr><Nm>Jörg Müller</Nm></Dbtr><DbtrAcct><Id><IBAN>DE12500105170648489890</IBAN></Id></DbtrAcct></RltdPties>
           </TxDtls></NtryDtls></Ntry>
          <Ntry><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
           <NtryDtls><TxDtls><RltdPties><Cdtr><Nm>Bank</Nm></Cdtr></RltdPties><RmtInf><Ustrd>Kontoführung</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
          </Stmt></BkToCstmrStmt></Document>"#;
        let lines = parse(v02).unwrap();
        let r = &lines[0];
        assert_eq!((r.entry.as_str(), r.amount_cents, r.is_return), ("#1", -5_950, true));
        assert_eq!(
            (r.return_reason.as_str(), r.charges_cents, r.counterparty.as_str()),
            ("AC04", 250, "Jörg Müller")
        );
        let fee = &lines[1];
        assert_eq!((fee.is_return, fee.counterparty.as_str(), fee.amount_cents), (false, "Bank", -1_000));
    }

    #[test]
    fn anything_else_is_refused_by_name() {
        assert_eq!(parse("not xml"), Err(ParseError::Unknown));
        assert_eq!(parse("<Document><Other/></Document>"), Err(ParseError::Unknown));
        let bad = V08.replace("119.00", "119,00");
        assert!(matches!(parse(&bad), Err(ParseError::Malformed(_))));
    }
}
