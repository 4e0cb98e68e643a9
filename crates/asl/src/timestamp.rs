//! RFC 3339 timestamps as ASL accepts them (Choice `Timestamp…` operators, `IsTimestamp`,
//! Wait `Timestamp`/`TimestampPath`): `YYYY-MM-DDThh:mm:ss[.frac](Z|±hh:mm)` with an
//! uppercase `T` and an uppercase `Z` or a numeric offset. `2012-10-09T19:00:55`
//! (no zone) and `2023-02-24 12:15:56` (space) are not timestamps.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Parses an ASL timestamp; `None` when it is not one.
pub fn parse_timestamp(s: &str) -> Option<OffsetDateTime> {
    let b = s.as_bytes();
    // Date part is fixed width; the separator must be an uppercase 'T'.
    if b.len() < 20 || b.get(10) != Some(&b'T') {
        return None;
    }
    let last = *b.last()?;
    let zone_ok = last == b'Z' || {
        // ±hh:mm at the end
        b.len() >= 6 && matches!(b[b.len() - 6], b'+' | b'-') && b[b.len() - 3] == b':'
    };
    if !zone_ok {
        return None;
    }
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

/// Formats as AWS prints timestamps: `2024-01-02T03:04:05.678Z` (UTC, milliseconds).
pub fn format_timestamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_rejects() {
        for (s, ok) in [
            ("2012-10-09T19:00:55Z", true),
            ("2012-10-09T19:00:55+01:00", true),
            ("2012-10-09T19:00:55.123Z", true),
            ("2012-10-09t19:00:55Z", false),
            ("2012-10-09T19:00:55z", false),
            ("2012-10-09T19:00:55", false),
            ("2023-02-24", false),
            ("2023-02-24 12:15:56.832957", false),
            ("", false),
            ("2012-13-09T19:00:55Z", false),
        ] {
            assert_eq!(parse_timestamp(s).is_some(), ok, "{s}");
        }
        let t = parse_timestamp("2012-10-09T19:00:55+01:00");
        assert_eq!(
            t.map(format_timestamp).as_deref(),
            Some("2012-10-09T18:00:55.000Z")
        );
    }
}
