//! ZUGFeRD / Factur-X: the invoice's PDF/A-3b (typeset by Typst, which embeds the CII XML as
//! `factur-x.xml` with `/AFRelationship /Alternative` and lists it in the catalog's `/AF`) gets
//! the Factur-X XMP metadata Typst cannot write: the `fx` extension schema in the PDF/A
//! extension schemas and the document's type, file name, version and conformance level.
//! Rewriting keeps the objects, their order and the document ID: the same input gives the
//! same bytes.

/// The name the Factur-X standard gives the embedded XML.
pub const FILE_NAME: &str = "factur-x.xml";

/// The XMP conformance level of an EN 16931 (COMFORT) invoice.
pub const EN16931: &str = "EN 16931";

const NS: &str = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#";

fn property(name: &str, description: &str) -> String {
    format!(
        "<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>{name}</pdfaProperty:name>\
         <pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category>\
         <pdfaProperty:description>{description}</pdfaProperty:description></rdf:li>"
    )
}

/// The PDF/A extension schema that declares the `fx` properties (PDF/A-3 6.6.2.3.1: custom
/// properties need one).
fn schema() -> String {
    let properties = [
        ("DocumentFileName", "The name of the embedded XML document"),
        ("DocumentType", "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER"),
        ("Version", "The actual version of the standard applying to the embedded XML document"),
        ("ConformanceLevel", "The conformance level of the embedded XML document"),
    ]
    .map(|(n, d)| property(n, d))
    .concat();
    format!(
        "<rdf:li rdf:parseType=\"Resource\"><pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>\
         <pdfaSchema:namespaceURI>{NS}</pdfaSchema:namespaceURI><pdfaSchema:prefix>fx</pdfaSchema:prefix>\
         <pdfaSchema:property><rdf:Seq>{properties}</rdf:Seq></pdfaSchema:property></rdf:li>"
    )
}

/// The XMP with the Factur-X schema and values added at the places Typst's packet has exactly
/// once; None when it does not have them so (a changed Typst).
pub fn with_facturx(xmp: &str, level: &str) -> Option<String> {
    const BAG_END: &str = "</rdf:Bag></pdfaExtension:schemas>";
    const RDF_END: &str = "</rdf:RDF>";
    if xmp.matches(BAG_END).count() != 1 || xmp.matches(RDF_END).count() != 1 {
        return None;
    }
    let values = format!(
        "<rdf:Description rdf:about=\"\" xmlns:fx=\"{NS}\"><fx:DocumentType>INVOICE</fx:DocumentType>\
         <fx:DocumentFileName>{FILE_NAME}</fx:DocumentFileName><fx:Version>1.0</fx:Version>\
         <fx:ConformanceLevel>{level}</fx:ConformanceLevel></rdf:Description>"
    );
    let out = xmp.replacen(BAG_END, &format!("{}{BAG_END}", schema()), 1);
    Some(out.replacen(RDF_END, &format!("{values}{RDF_END}"), 1))
}

/// The PDF with its catalog's XMP metadata stream extended by [`with_facturx`].
pub fn add_metadata(pdf: &[u8], level: &str) -> Result<Vec<u8>, String> {
    let mut doc = lopdf::Document::load_mem(pdf).map_err(|e| format!("read: {e}"))?;
    let id = doc
        .catalog()
        .and_then(|c| c.get(b"Metadata"))
        .and_then(|m| m.as_reference())
        .map_err(|e| format!("no XMP: {e}"))?;
    let stream = doc.get_object_mut(id).and_then(|o| o.as_stream_mut()).map_err(|e| format!("XMP: {e}"))?;
    let xmp = stream.get_plain_content().map_err(|e| format!("XMP content: {e}"))?;
    let xmp = std::str::from_utf8(&xmp).map_err(|e| format!("XMP text: {e}"))?;
    let extended = with_facturx(xmp, level).ok_or("the XMP has not the expected form")?;
    stream.set_plain_content(extended.into_bytes());
    let mut out = Vec::with_capacity(pdf.len() + 2_048);
    doc.save_to(&mut out).map_err(|e| format!("write: {e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACKET: &str = "<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\
        <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\">\
        <pdfaid:part>3</pdfaid:part><pdfaExtension:schemas><rdf:Bag><rdf:li>xmpMM</rdf:li></rdf:Bag>\
        </pdfaExtension:schemas></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"r\"?>";

    #[test]
    fn the_schema_and_the_values_go_in_once_where_typst_leaves_room() {
        let out = with_facturx(PACKET, EN16931).expect("both places found");
        assert_eq!(out.matches("<pdfaSchema:prefix>fx</pdfaSchema:prefix>").count(), 1);
        assert_eq!(out.matches("<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>").count(), 1);
        assert!(out.find("<pdfaSchema:prefix>fx").unwrap() < out.find("</rdf:Bag>").unwrap());
        assert!(out.find("<fx:DocumentType>").unwrap() < out.find("</rdf:RDF>").unwrap());
        // A packet without the places (another Typst) is refused, not guessed at.
        assert_eq!(with_facturx("<rdf:RDF></rdf:RDF>", EN16931), None);
    }
}
