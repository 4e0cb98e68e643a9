//! Deterministic ids (UUIDs, request ids, hex strings) and date formatting for simulated service
//! responses. No OS randomness: every value comes from the seed and the call order.

/// A seeded id generator (SplitMix64). Same seed and same calls → same ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdGen {
    state: u64,
}

impl IdGen {
    pub fn new(seed: u64) -> IdGen {
        IdGen { state: seed }
    }

    /// A generator seeded from a string (FNV-1a 64 of its bytes).
    pub fn from_str_seed(s: &str) -> IdGen {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in s.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        IdGen::new(h)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A version-4-shaped UUID, lower case: `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`.
    pub fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        let hi = (a & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000;
        let lo = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            hi >> 32,
            (hi >> 16) & 0xffff,
            hi & 0xffff,
            lo >> 48,
            lo & 0xffff_ffff_ffff
        )
    }

    /// Advance as `n` calls of [`IdGen::next_u64`] would (without computing them).
    pub fn skip(&mut self, n: u64) {
        self.state = self
            .state
            .wrapping_add(n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    }

    /// `n` lower-case hex digits.
    pub fn hex(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n + 16);
        while s.len() < n {
            s.push_str(&format!("{:016x}", self.next_u64()));
        }
        s.truncate(n);
        s
    }

    /// `n` decimal digits (the first one non-zero).
    pub fn digits(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n);
        for i in 0..n {
            let d = self.next_u64() % if i == 0 { 9 } else { 10 };
            let d = if i == 0 { d + 1 } else { d };
            s.push(char::from(b'0' + u8::try_from(d).unwrap_or(0)));
        }
        s
    }

    /// An AWS X-Ray trace header value for a call at `ms`.
    pub fn trace_id(&mut self, ms: u64) -> String {
        format!(
            "Root=1-{:08x}-{};Parent={};Sampled=0;Lineage=1:{}:0",
            ms / 1000,
            self.hex(24),
            self.hex(16),
            self.hex(8)
        )
    }
}

/// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    (
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

struct Parts {
    year: i64,
    month: u32,
    day: u32,
    weekday: usize,
    hour: u64,
    minute: u64,
    second: u64,
    millis: u64,
}

fn parts(ms: u64) -> Parts {
    let secs = ms / 1000;
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let (year, month, day) = civil_from_days(days);
    let rem = secs % 86_400;
    Parts {
        year,
        month,
        day,
        // 1970-01-01 was a Thursday (index 4 with Sunday = 0).
        weekday: usize::try_from((days + 4).rem_euclid(7)).unwrap_or(0),
        hour: rem / 3600,
        minute: (rem % 3600) / 60,
        second: rem % 60,
        millis: ms % 1000,
    }
}

/// HTTP `Date` header form (RFC 7231 IMF-fixdate): `Mon, 01 Jan 2024 00:00:00 GMT`.
pub fn http_date(ms: u64) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let p = parts(ms);
    let day_name = DAYS.get(p.weekday).copied().unwrap_or("Thu");
    let month_name = MONTHS
        .get(usize::try_from(p.month).unwrap_or(1).saturating_sub(1))
        .copied()
        .unwrap_or("Jan");
    format!(
        "{day_name}, {:02} {month_name} {:04} {:02}:{:02}:{:02} GMT",
        p.day, p.year, p.hour, p.minute, p.second
    )
}

/// ISO-8601 UTC with milliseconds: `2024-01-01T00:00:00.000Z`.
pub fn iso8601(ms: u64) -> String {
    let p = parts(ms);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        p.year, p.month, p.day, p.hour, p.minute, p.second, p.millis
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_ids() {
        let cases: [(u64, &str, &str); 3] = [
            (
                0,
                "Thu, 01 Jan 1970 00:00:00 GMT",
                "1970-01-01T00:00:00.000Z",
            ),
            (
                1_704_067_200_000,
                "Mon, 01 Jan 2024 00:00:00 GMT",
                "2024-01-01T00:00:00.000Z",
            ),
            (
                1_709_210_096_789,
                "Thu, 29 Feb 2024 12:34:56 GMT",
                "2024-02-29T12:34:56.789Z",
            ),
        ];
        for (ms, http, iso) in cases {
            assert_eq!(http_date(ms), http, "{ms}");
            assert_eq!(iso8601(ms), iso, "{ms}");
        }
        let mut a = IdGen::new(7);
        let mut b = IdGen::new(7);
        let u = a.uuid();
        assert_eq!(u, b.uuid());
        assert_eq!(u.len(), 36);
        assert_eq!(u.chars().nth(14), Some('4'));
        assert_ne!(a.uuid(), u);
        assert_eq!(a.hex(40).len(), 40);
        assert_eq!(a.digits(20).len(), 20);
    }
}
