//! `sahifa eval foryou` (to come).
