//! Hybrid logical clock stamps for things made on phones whose wall clock may be a year off or
//! jump backwards: stamps from one device always increase, and stamps from all devices are
//! totally ordered, while staying close to real time when the clocks are right.
//!
//! A stamp's `wall_ms` is for ordering, not for showing: a device whose clock ran ahead drags
//! every clock that observes its stamps ahead with it. Nothing is ever refused for skew; the
//! server only reports it (`skew_ms`, `clock_was_off`) so a supervisor can see a device was off.

use crate::base::ids::DeviceId;
use serde::{Deserialize, Serialize};

/// One stamp. Field order is the order: wall time, then counter, then device as the tie-break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch, as far as this clock knows.
    pub wall_ms: i64,
    /// Orders stamps made within one `wall_ms` (or while the device clock stood still or went back).
    pub counter: u32,
    pub device: DeviceId,
}

/// One device's clock. The phone keeps it with its settings (it serialises), so stamps go on
/// increasing across restarts even if the wall clock was set back meanwhile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    device: DeviceId,
    wall_ms: i64,
    counter: u32,
}

impl Clock {
    pub fn new(device: DeviceId) -> Self {
        Self {
            device,
            wall_ms: i64::MIN,
            counter: 0,
        }
    }

    pub fn device(&self) -> DeviceId {
        self.device
    }

    /// A new stamp, greater than every stamp this clock made or observed before, whatever
    /// `now_ms` (the device's wall clock) says.
    pub fn tick(&mut self, now_ms: i64) -> Hlc {
        (self.wall_ms, self.counter) = if now_ms > self.wall_ms {
            (now_ms, 0)
        } else {
            successor(self.wall_ms, self.counter)
        };
        Hlc {
            wall_ms: self.wall_ms,
            counter: self.counter,
            device: self.device,
        }
    }

    /// Takes in a stamp seen from the server or another device, so every later `tick` is
    /// greater than it.
    pub fn observe(&mut self, remote: &Hlc, now_ms: i64) {
        let here = (self.wall_ms, self.counter);
        (self.wall_ms, self.counter) = here.max((remote.wall_ms, remote.counter)).max((now_ms, 0));
    }
}

/// The next (wall, counter) pair. When the counter is full the wall time moves on a millisecond;
/// at the very end of time the clock stands still rather than overflow.
fn successor(wall_ms: i64, counter: u32) -> (i64, u32) {
    match counter.checked_add(1) {
        Some(next) => (wall_ms, next),
        None if wall_ms < i64::MAX => (wall_ms + 1, 0),
        None => (wall_ms, counter),
    }
}

/// How far ahead of the server a device's clock was (negative: behind).
pub fn skew_ms(device_time_ms: i64, server_time_ms: i64) -> i64 {
    device_time_ms.saturating_sub(server_time_ms)
}

/// Skew worth showing a supervisor: more than network delay and a phone's ordinary drift.
pub const NOTABLE_SKEW_MS: i64 = 5 * 60 * 1000;

pub fn clock_was_off(skew_ms: i64) -> bool {
    skew_ms.saturating_abs() > NOTABLE_SKEW_MS
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    const YEAR_MS: i64 = 365 * 24 * 60 * 60 * 1000;
    const NOW: i64 = 1_795_000_000_000;

    fn device(n: u128) -> DeviceId {
        DeviceId(Uuid::from_u128(n))
    }

    #[test]
    fn clock_set_back_a_year_still_stamps_increasingly() {
        let mut clock = Clock::new(device(1));
        let times = [
            NOW,
            NOW + 5,
            NOW - YEAR_MS,
            NOW - YEAR_MS,
            NOW + 5,
            NOW + 6,
            0,
            i64::MIN,
        ];
        let stamps: Vec<Hlc> = times.iter().map(|&t| clock.tick(t)).collect();
        assert!(stamps.windows(2).all(|w| w[0] < w[1]), "{stamps:?}");
        // Back on the right time, the stamps follow the wall clock again.
        assert_eq!(clock.tick(NOW + 1_000).wall_ms, NOW + 1_000);
    }

    #[test]
    fn stamps_of_two_devices_are_totally_ordered() {
        let (a, b) = (device(1), device(2));
        let cases = [
            // (earlier, later): wall time first, then counter, then device.
            ((NOW, 9, b), (NOW + 1, 0, a)),
            ((NOW, 1, b), (NOW, 2, a)),
            ((NOW, 3, a), (NOW, 3, b)),
        ];
        for ((w1, c1, d1), (w2, c2, d2)) in cases {
            let earlier = Hlc {
                wall_ms: w1,
                counter: c1,
                device: d1,
            };
            let later = Hlc {
                wall_ms: w2,
                counter: c2,
                device: d2,
            };
            assert!(earlier < later, "{earlier:?} < {later:?}");
            assert_ne!(earlier, later);
        }
        let mut one = Clock::new(a);
        let mut two = Clock::new(b);
        let (x, y) = (one.tick(NOW), two.tick(NOW));
        assert_ne!(x.cmp(&y), std::cmp::Ordering::Equal);
    }

    #[test]
    fn observing_a_stamp_from_a_clock_ahead_puts_later_stamps_after_it() {
        let mut slow = Clock::new(device(1));
        let mut fast = Clock::new(device(0));
        slow.tick(NOW - YEAR_MS);
        let ahead = fast.tick(NOW + YEAR_MS);
        slow.observe(&ahead, NOW - YEAR_MS);
        let next = slow.tick(NOW - YEAR_MS + 1);
        assert!(next > ahead);
        // Equal wall time and counter must not fall back on the device tie-break.
        assert_eq!(
            (next.wall_ms, next.counter),
            (ahead.wall_ms, ahead.counter + 1)
        );
        // Observing an older stamp changes nothing.
        let before = slow.clone();
        slow.observe(
            &Hlc {
                wall_ms: 0,
                counter: 7,
                device: device(3),
            },
            0,
        );
        assert_eq!(slow, before);
    }

    #[test]
    fn huge_values_saturate_instead_of_overflowing() {
        let mut clock = Clock::new(device(1));
        let edge = Hlc {
            wall_ms: NOW,
            counter: u32::MAX,
            device: device(2),
        };
        clock.observe(&edge, 0);
        let next = clock.tick(0);
        assert_eq!((next.wall_ms, next.counter), (NOW + 1, 0));
        let end = Hlc {
            wall_ms: i64::MAX,
            counter: u32::MAX,
            device: device(2),
        };
        clock.observe(&end, i64::MAX);
        let last = clock.tick(i64::MAX);
        assert_eq!((last.wall_ms, last.counter), (i64::MAX, u32::MAX));
        assert_eq!(skew_ms(i64::MAX, i64::MIN), i64::MAX);
        assert_eq!(skew_ms(i64::MIN, i64::MAX), i64::MIN);
        assert!(clock_was_off(i64::MIN));
    }

    #[test]
    fn skew_is_notable_only_beyond_five_minutes_either_way() {
        let cases = [
            (NOW, NOW, 0, false),
            (NOW + NOTABLE_SKEW_MS, NOW, NOTABLE_SKEW_MS, false),
            (NOW + NOTABLE_SKEW_MS + 1, NOW, NOTABLE_SKEW_MS + 1, true),
            (NOW - YEAR_MS, NOW, -YEAR_MS, true),
            (NOW - 30_000, NOW, -30_000, false),
        ];
        for (device_ms, server_ms, skew, off) in cases {
            assert_eq!(skew_ms(device_ms, server_ms), skew);
            assert_eq!(clock_was_off(skew), off, "skew {skew}");
        }
    }

    #[test]
    fn stamps_and_clocks_round_trip_through_json() {
        let mut clock = Clock::new(device(7));
        let stamp = clock.tick(NOW);
        let back: Hlc = serde_json::from_str(&serde_json::to_string(&stamp).unwrap()).unwrap();
        assert_eq!(back, stamp);
        let saved: Clock = serde_json::from_str(&serde_json::to_string(&clock).unwrap()).unwrap();
        assert_eq!(saved, clock);
    }
}
