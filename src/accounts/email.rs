//! E-mail addresses parsed at the edge: trimmed, NFC-normalised, the domain lower-cased (and
//! the local part too: mailboxes that differ only by case are one member), then checked to be
//! a plain `local@domain` that can go into a mail header unchanged.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

/// Why a string is not an e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("the e-mail address is empty")]
    Empty,
    #[error("the e-mail address is longer than 254 characters")]
    TooLong,
    #[error("the e-mail address needs exactly one @ with text on both sides")]
    Shape,
    #[error("the e-mail address contains a character that is not allowed")]
    Character,
    #[error("the domain of the e-mail address is not valid")]
    Domain,
}

/// A validated, normalised e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    /// Parses and normalises `input`.
    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let s: String = input.trim().nfc().collect::<String>().to_lowercase();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        if s.chars().count() > 254 {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = s.split_once('@').ok_or(EmailError::Shape)?;
        if local.is_empty() || domain.is_empty() || domain.contains('@') {
            return Err(EmailError::Shape);
        }
        if local.chars().count() > 64 {
            return Err(EmailError::TooLong);
        }
        // Only the dot-atom form: no quotes, spaces, controls or header specials, so the
        // address is safe in any header and in lettre's typed builders.
        const LOCAL_SPECIALS: &str = "!#$%&'*+-/=?^_`{|}~.";
        let local_ok = local
            .chars()
            .all(|c| c.is_alphanumeric() || LOCAL_SPECIALS.contains(c));
        if !local_ok {
            return Err(EmailError::Character);
        }
        if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return Err(EmailError::Character);
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2 {
            return Err(EmailError::Domain);
        }
        for label in &labels {
            let n = label.chars().count();
            if n == 0 || n > 63 || label.starts_with('-') || label.ends_with('-') {
                return Err(EmailError::Domain);
            }
            if !label.chars().all(|c| c.is_alphanumeric() || c == '-') {
                return Err(EmailError::Domain);
            }
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before the @.
    pub fn local(&self) -> &str {
        self.0.split_once('@').map(|(l, _)| l).unwrap_or(&self.0)
    }

    /// The part after the @.
    pub fn domain(&self) -> &str {
        self.0.split_once('@').map(|(_, d)| d).unwrap_or("")
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalises_case_and_space() {
        let e = Email::parse("  Reader@Example.COM ").expect("valid");
        assert_eq!(e.as_str(), "reader@example.com");
        assert_eq!(e.local(), "reader");
        assert_eq!(e.domain(), "example.com");
    }

    #[test]
    fn rejects_header_injection_and_bad_shapes() {
        for bad in [
            "",
            "a",
            "a@",
            "@b.c",
            "a@b",
            "a@@b.c",
            "a b@c.d",
            "a@c.d\r\nBcc: x@y.z",
            "a\n@c.d",
            "\"a\"@c.d",
            "a@-c.d",
            "a..b@c.d",
            ".a@c.d",
            "a,b@c.d",
            "a<b@c.d",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(Email::parse("قارئ@مثال.شبكة").is_ok());
        assert!(Email::parse("first.last+tag@mail.example.org").is_ok());
    }

    /// Addresses of the accepted shape: a dot-atom local part (Latin, Arabic, digits and
    /// the allowed specials) and two to four domain labels, in any case.
    fn valid_address() -> impl Strategy<Value = String> {
        let atom = "[a-zA-Z0-9\\u{0628}-\\u{064A}!#$%&'*+/=?^_`{|}~-]{1,12}";
        let local = proptest::collection::vec(atom, 1..4).prop_map(|v| v.join("."));
        let label = "[a-zA-Z0-9\\u{0628}-\\u{064A}]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?";
        let domain = proptest::collection::vec(label, 2..5).prop_map(|v| v.join("."));
        (local, domain).prop_map(|(l, d)| format!("{l}@{d}"))
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_output_is_header_safe(s in "\\PC{0,80}") {
            if let Ok(e) = Email::parse(&s) {
                prop_assert!(!e.as_str().contains(['\r', '\n', ' ', '<', '>', '"', ',', ';']));
                prop_assert_eq!(Email::parse(e.as_str()), Ok(e.clone()));
            }
        }

        #[test]
        fn addresses_of_the_accepted_shape_parse_lower_cased_and_stable(
            s in valid_address(), pad in "[ \t]{0,2}",
        ) {
            let e = Email::parse(&format!("{pad}{s}{pad}"));
            let lower = s.to_lowercase();
            prop_assert_eq!(e.as_ref().map(Email::as_str), Ok(lower.as_str()), "{:?}", s);
            let e = e.expect("checked above");
            prop_assert_eq!(Email::parse(e.as_str()), Ok(e.clone()));
            prop_assert_eq!(format!("{}@{}", e.local(), e.domain()), e.to_string());
        }

        #[test]
        fn one_header_special_anywhere_inside_is_rejected(
            s in valid_address(),
            at in any::<proptest::sample::Index>(),
            bad in proptest::sample::select(vec![' ', '\r', '\n', '\t', '<', '>', '"', ',', ';', ':', '(', ')', '[', ']', '\\', '\u{0}']),
        ) {
            // Inside: between the first and the last character (trimming may eat the ends).
            let chars: Vec<char> = s.chars().collect();
            let i = 1 + at.index(chars.len() - 1);
            let mut broken: String = chars[..i].iter().collect();
            broken.push(bad);
            broken.extend(&chars[i..]);
            prop_assert!(Email::parse(&broken).is_err(), "{:?} was accepted", broken);
        }

        #[test]
        fn simple_addresses_round_trip(l in "[a-z0-9]{1,20}", d in "[a-z]{1,10}", t in "[a-z]{2,5}") {
            let s = format!("{l}@{d}.{t}");
            prop_assert_eq!(Email::parse(&s).map(|e| e.to_string()), Ok(s));
        }
    }
}
