//! RFC 3339 timestamps as ASL accepts them (Choice `Timestamp…` operators, `IsTimestamp`,
//! Wait `Timestamp`/`TimestampPath`): `YYYY-MM-DDThh:mm:ss[.frac](Z|±hh:mm)` with an
//! uppercase `T` and an uppercase `Z` or a numeric offset. `2012-10-09T19:00:55`
//! (no zone) and `2023-02-24 12:15:56` (space) are not timestamps.

/// An instant read from an ASL timestamp: nanoseconds since 1970-01-01T00:00:00Z. Two
/// timestamps compare as instants, whatever offsets they were written with.
///
/// Hand-written rather than `time::OffsetDateTime` to keep the page small; the parse follows
/// `time`'s RFC 3339 rule exactly (a test compares the two).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    unix_nanos: i128,
}

impl Timestamp {
    /// Nanoseconds since the Unix epoch (negative before 1970).
    pub fn unix_timestamp_nanos(self) -> i128 {
        self.unix_nanos
    }
}

/// Parses an ASL timestamp; `None` when it is not one.
pub fn parse_timestamp(s: &str) -> Option<Timestamp> {
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
    parse_rfc3339(b)
}

/// `YYYY-MM-DD?hh:mm:ss[.f…](Z|z|±hh:mm)` with a valid calendar date and time; at most nine
/// fraction digits count; second 60 only as a leap second (23:59:60 UTC on a month's last day,
/// read as 23:59:59.999999999).
fn parse_rfc3339(b: &[u8]) -> Option<Timestamp> {
    let lit = |at: usize, c: u8| (b.get(at) == Some(&c)).then_some(());
    let year = i64::from(digits(b, 0, 4)?);
    lit(4, b'-')?;
    let month = digits(b, 5, 2)?;
    lit(7, b'-')?;
    let day = digits(b, 8, 2)?;
    // Any separator byte at 10 (the caller demands 'T').
    let hour = digits(b, 11, 2)?;
    lit(13, b':')?;
    let minute = digits(b, 14, 2)?;
    lit(16, b':')?;
    let second = digits(b, 17, 2)?;
    let mut i = 19;
    let mut nanos = 0u32;
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !b.get(i).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let mut scale = 100_000_000u32;
        while let Some(d) = b.get(i).filter(|c| c.is_ascii_digit()) {
            nanos += u32::from(d - b'0') * scale;
            scale /= 10;
            i += 1;
        }
    }
    let offset_seconds = match b.get(i) {
        Some(b'Z' | b'z') => {
            i += 1;
            0
        }
        Some(&sign @ (b'+' | b'-')) => {
            let h = digits(b, i + 1, 2).filter(|h| *h <= 23)?;
            lit(i + 3, b':')?;
            let m = digits(b, i + 4, 2).filter(|m| *m <= 59)?;
            i += 6;
            let secs = i64::from(h * 3600 + m * 60);
            if sign == b'-' { -secs } else { secs }
        }
        _ => return None,
    };
    if i != b.len() {
        return None;
    }
    let leap = second == 60;
    let (second, nanos) = if leap {
        (59, 999_999_999)
    } else {
        (second, nanos)
    };
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let local =
        days_from_civil(year, month, day) * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    let utc = local - offset_seconds;
    if leap {
        let (y, m, d) = civil_from_days(utc.div_euclid(86_400));
        let last_second = utc.rem_euclid(86_400) == 86_399;
        if !last_second || d != days_in_month(y, m) || !(-9999..=9999).contains(&y) {
            return None;
        }
    }
    Some(Timestamp {
        unix_nanos: i128::from(utc) * 1_000_000_000 + i128::from(nanos),
    })
}

/// Exactly `n` ASCII digits at `at`.
fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    b.get(at..at + n)?.iter().try_fold(0u32, |acc, c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// (year, month, day) → days since 1970-01-01 (proleptic Gregorian).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 → (year, month, day).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    // m is 1..=12 and d is 1..=31 by construction.
    (y, m as u32, d as u32)
}

/// Formats as AWS prints timestamps: `2024-01-02T03:04:05.678Z` (UTC, milliseconds).
pub fn format_timestamp(t: Timestamp) -> String {
    let seconds = t.unix_nanos.div_euclid(1_000_000_000);
    let millis = t.unix_nanos.rem_euclid(1_000_000_000) / 1_000_000;
    let days = seconds.div_euclid(86_400);
    let sod = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(i64::try_from(days).unwrap_or_default());
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        sod / 3600,
        sod / 60 % 60,
        sod % 60,
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
            t.map(Timestamp::unix_timestamp_nanos),
            Some(1_349_805_655_000_000_000)
        );
        assert_eq!(
            t.map(format_timestamp).as_deref(),
            Some("2012-10-09T18:00:55.000Z")
        );
    }

    /// The hand-written parser accepts exactly what `time`'s RFC 3339 parser accepts (behind
    /// the same ASL pre-check) and reads the same instant, and formats it the same way.
    #[test]
    fn agrees_with_time_crate() {
        use time::OffsetDateTime;
        use time::format_description::well_known::Rfc3339;
        let bases = [
            "2012-10-09T19:00:55Z",
            "2012-10-09T19:00:55.5Z",
            "2012-10-09T19:00:55.123456789Z",
            "2012-10-09T19:00:55.1234567891234Z",
            "2016-02-29T23:59:60Z",
            "2016-12-31T23:59:60Z",
            "2016-12-31T23:59:60.5Z",
            "2016-06-30T23:59:60Z",
            "2016-06-29T23:59:60Z",
            "2017-01-01T00:59:60+01:00",
            "2016-12-31T22:59:60-01:00",
            "0000-01-01T00:59:60+01:00",
            "0000-01-01T00:00:00+23:59",
            "9999-12-31T23:59:59-23:59",
            "1969-12-31T23:59:59.999Z",
            "1900-02-29T00:00:00Z",
            "2000-02-29T00:00:00Z",
            "2001-02-29T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2024-00-10T00:00:00Z",
            "2024-01-00T00:00:00Z",
            "2024-01-10T24:00:00Z",
            "2024-01-10T23:60:00Z",
            "2024-01-10T23:59:61Z",
            "2024-01-10T23:59:59+24:00",
            "2024-01-10T23:59:59+23:60",
            "2024-01-10T23:59:59-00:00",
            "2024-01-10T23:59:59.Z",
            "2024-01-10T23:59:59.+01:00",
            "2024-01-10T23:59:59+0100",
            "2024-01-10T23:59:59Zx",
            "2024-01-10T23:59:59ZZ",
            "2024-1-10T23:59:59Z",
            "20240-01-10T23:59:59Z",
            "2024-01-10T3:59:59Z",
            "2024-01-10T23:59:5Z",
            "+2024-01-10T23:59:59Z",
            "2024-01-10T23:59:59.12+05:30",
            "2024-01-10T23:59:59 +05:30",
            "2024-01-10T23:59:59.1+5:30",
        ];
        let mut inputs: Vec<String> = Vec::new();
        for base in bases {
            inputs.push(base.to_string());
            // Every single-byte substitution by a small alphabet, and every deletion.
            for i in 0..base.len() {
                for c in [
                    "0", "1", "2", "3", "5", "6", "9", "-", ":", ".", "+", "Z", "z", "T", " ",
                ] {
                    let mut s = base.to_string();
                    s.replace_range(i..=i, c);
                    inputs.push(s);
                }
                let mut s = base.to_string();
                s.remove(i);
                inputs.push(s);
            }
        }
        let mut accepted = 0;
        for s in &inputs {
            let ours = parse_timestamp(s);
            accepted += usize::from(ours.is_some());
            let b = s.as_bytes();
            let pre = b.len() >= 20
                && b[10] == b'T'
                && (b.last() == Some(&b'Z')
                    || (b.len() >= 6
                        && matches!(b[b.len() - 6], b'+' | b'-')
                        && b[b.len() - 3] == b':'));
            let theirs = if pre {
                OffsetDateTime::parse(s, &Rfc3339).ok()
            } else {
                None
            };
            assert_eq!(
                ours.map(Timestamp::unix_timestamp_nanos),
                theirs.map(OffsetDateTime::unix_timestamp_nanos),
                "{s}"
            );
            // (`time` panics converting an instant past 9999-12-31 UTC to UTC; ours prints it.)
            let theirs_utc = theirs.and_then(|t| t.checked_to_offset(time::UtcOffset::UTC));
            if let (Some(a), Some(t)) = (ours, theirs_utc) {
                let want = format!(
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                    t.year(),
                    u8::from(t.month()),
                    t.day(),
                    t.hour(),
                    t.minute(),
                    t.second(),
                    t.millisecond()
                );
                assert_eq!(format_timestamp(a), want, "{s}");
            }
        }
        // Both outcomes are well represented.
        assert!(
            accepted > 200 && inputs.len() - accepted > 200,
            "{accepted}"
        );
    }
}
