//! How long a phone waits before trying the server again.

/// Wait before the next upload attempt: exponential from 2 s, capped at 5 minutes, with "equal
/// jitter" so a village's phones coming back online together do not retry in lockstep.
/// `random_unit` is a random number in [0, 1).
pub fn retry_delay_ms(attempt: u32, random_unit: f64) -> u64 {
    const BASE_MS: u64 = 2_000;
    const CAP_MS: u64 = 300_000;
    let ceiling = BASE_MS.saturating_mul(1u64 << attempt.min(20)).min(CAP_MS);
    let half = ceiling / 2;
    let jitter = (half as f64 * random_unit.clamp(0.0, 1.0)) as u64;
    half + jitter
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delay_grows_then_caps_and_stays_jittered() {
        assert_eq!(retry_delay_ms(0, 0.0), 1_000);
        assert_eq!(retry_delay_ms(0, 0.999_999), 1_999);
        assert_eq!(retry_delay_ms(3, 0.0), 8_000);
        assert_eq!(retry_delay_ms(30, 0.0), 150_000);
        assert_eq!(retry_delay_ms(30, 1.0), 300_000);
        let mut last = 0;
        for attempt in 0..12 {
            let d = retry_delay_ms(attempt, 0.5);
            assert!(d >= last, "delay shrank at attempt {attempt}");
            last = d;
        }
    }
}
