//! RFC 5734 framing: each XML instance follows a 4-byte big-endian length that counts itself.
use super::EppError;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The largest frame we take or send: EPP answers are a few KiB; a bigger length is a broken
/// or hostile peer, and we do not allocate for it.
pub const MAX_FRAME: usize = 1 << 20;
const HEADER: usize = 4;

fn io_error(what: &str, error: std::io::Error) -> EppError {
    if error.kind() == std::io::ErrorKind::UnexpectedEof {
        EppError::Io(format!("{what}: the server closed the connection"))
    } else {
        EppError::Io(format!("{what}: {error}"))
    }
}

/// One frame's XML.
pub async fn read_frame<R: AsyncRead + Unpin>(reader: &mut R) -> Result<Vec<u8>, EppError> {
    let mut header = [0u8; HEADER];
    reader.read_exact(&mut header).await.map_err(|e| io_error("reading a frame", e))?;
    let total = u32::from_be_bytes(header) as usize;
    // Less than five bytes carries no XML at all.
    if total <= HEADER || total > MAX_FRAME {
        return Err(EppError::Protocol(format!("a frame of {total} bytes")));
    }
    let mut data = vec![0u8; total - HEADER];
    reader.read_exact(&mut data).await.map_err(|e| io_error("reading a frame", e))?;
    Ok(data)
}

/// Sends `data` as one frame, header and XML in one write (so one TLS record where it fits).
pub async fn write_frame<W: AsyncWrite + Unpin>(writer: &mut W, data: &[u8]) -> Result<(), EppError> {
    let total = data.len() + HEADER;
    if data.is_empty() || total > MAX_FRAME {
        return Err(EppError::Protocol(format!("a frame of {total} bytes")));
    }
    let mut frame = Vec::with_capacity(total);
    frame.extend_from_slice(&(total as u32).to_be_bytes());
    frame.extend_from_slice(data);
    writer.write_all(&frame).await.map_err(|e| io_error("writing a frame", e))?;
    writer.flush().await.map_err(|e| io_error("writing a frame", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_frame_counts_its_own_length() {
        let mut out = Vec::new();
        write_frame(&mut out, b"<epp/>").await.unwrap();
        assert_eq!(out, b"\x00\x00\x00\x0a<epp/>");
        let mut input: &[u8] = &out;
        assert_eq!(read_frame(&mut input).await.unwrap(), b"<epp/>");
        assert!(input.is_empty(), "nothing read beyond the frame");
    }

    #[tokio::test]
    async fn frames_follow_each_other() {
        let mut out = Vec::new();
        write_frame(&mut out, b"<a/>").await.unwrap();
        write_frame(&mut out, b"<b/>").await.unwrap();
        let mut input: &[u8] = &out;
        assert_eq!(read_frame(&mut input).await.unwrap(), b"<a/>");
        assert_eq!(read_frame(&mut input).await.unwrap(), b"<b/>");
    }

    #[tokio::test]
    async fn lengths_out_of_bounds_are_refused() {
        for total in [0u32, 4, (MAX_FRAME + 1) as u32, u32::MAX] {
            let mut bytes = total.to_be_bytes().to_vec();
            bytes.extend_from_slice(b"<epp/>");
            let mut input: &[u8] = &bytes;
            assert!(matches!(read_frame(&mut input).await, Err(EppError::Protocol(_))), "{total}");
        }
        // The smallest frame: one byte of data.
        let mut input: &[u8] = b"\x00\x00\x00\x05x";
        assert_eq!(read_frame(&mut input).await.unwrap(), b"x");
        let mut out = Vec::new();
        assert!(matches!(write_frame(&mut out, &vec![b' '; MAX_FRAME]).await, Err(EppError::Protocol(_))));
        assert!(out.is_empty());
    }

    #[tokio::test]
    async fn a_cut_frame_is_a_connection_error() {
        let mut input: &[u8] = b"\x00\x00\x00\x20<epp>";
        assert!(matches!(read_frame(&mut input).await, Err(EppError::Io(_))));
        let mut input: &[u8] = b"\x00\x00";
        assert!(matches!(read_frame(&mut input).await, Err(EppError::Io(_))));
    }
}
