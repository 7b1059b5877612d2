//! Slowing down password guessing: after a few sign-ins an account name is refused for a while,
//! even with the right password, so guessing costs hours instead of seconds. The attempts are
//! counted in the database (`db/sign_in.rs`), before the password is checked.

use std::time::Duration;

/// Attempts allowed within `WINDOW`: the count includes the attempt being made, so at most this
/// many passwords are ever checked for one name per window, however many arrive at once.
pub const MAX_ATTEMPTS: i64 = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// The name the attempts are counted under: names differing only in case or surrounding spaces
/// are one name, so varying them gains no guesses.
pub fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Whether a sign-in may check its password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Counted; the password may be checked.
    Allowed,
    /// Refused without checking, for this many more seconds.
    Locked { wait_secs: u64 },
}

#[cfg(test)]
mod tests {
    #[test]
    fn case_and_spaces_do_not_make_another_name() {
        assert_eq!(super::key(" WangJG "), super::key("wangjg"));
    }
}
