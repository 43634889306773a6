//! The `account_mail` job kind: one account e-mail (verification, sign-in link and code,
//! reset, change of e-mail, notices), sent by [`Accounts::deliver_mail`].

use crate::accounts::{AccountMail, Accounts};

use super::{JobRef, Registry};

/// The kind's name in the queue.
pub const KIND: &str = "account_mail";

/// Registers the kind in `r`; `accounts` finds the accounts service in the context.
pub fn register<C: Clone + Send + Sync + 'static>(
    r: &mut Registry<C>,
    accounts: fn(&C) -> &Accounts,
) {
    r.register(KIND, move |ctx: C, job: JobRef, mail: AccountMail| {
        let acc = accounts(&ctx).clone();
        async move { acc.deliver_mail(&job, mail).await }
    });
}
