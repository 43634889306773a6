//! Subscribing and leaving: members in one click (they are verified already), visitors by
//! double opt-in (a mailed link whose GET shows a button and whose POST confirms; capped per
//! address and per IP; the same answer whether or not the address is known), and the
//! signed one-click unsubscribe link, which ends that one newsletter.

use std::collections::HashSet;

use super::optin::{CONFIRM_DAYS, OptIn};
use super::{Newsletter, Newsletters};
use crate::accounts::ratelimit::Limit;
use crate::accounts::{Email, User, tokens};
use crate::locale::Locale;

/// Opt-in requests from one IP.
pub const SIGNUPS_PER_IP: Limit = Limit::per_hour(20);
/// Opt-in mails to one address.
pub const SIGNUPS_PER_ADDRESS: Limit = Limit::per_hour(3);
impl Newsletters {
    /// Member `user` subscribes to `slug`; None when there is no such newsletter, else
    /// whether it was new.
    pub async fn member_subscribe(&self, user: &User, slug: &str) -> anyhow::Result<Option<bool>> {
        let Some(n) = self.by_slug(slug).await? else {
            return Ok(None);
        };
        let now = self.now_ms();
        let sub = self.store.subscriber_for_user(user.pk, now).await?;
        Ok(Some(
            self.store.subscription_activate(n.pk, sub, now).await?,
        ))
    }

    /// Member `user` leaves `slug`; None when there is no such newsletter.
    pub async fn member_unsubscribe(
        &self,
        user: &User,
        slug: &str,
    ) -> anyhow::Result<Option<bool>> {
        let Some(n) = self.by_slug(slug).await? else {
            return Ok(None);
        };
        Ok(Some(
            self.store
                .member_subscription_end(n.pk, user.pk, self.now_ms())
                .await?,
        ))
    }

    /// Keys of the newsletters `user` receives.
    pub async fn member_subscriptions(&self, user: &User) -> anyhow::Result<HashSet<i64>> {
        Ok(self
            .store
            .member_newsletters(user.pk)
            .await?
            .into_iter()
            .collect())
    }

    /// A visitor asks for `slug` at `email` from `ip`, reading `locale`. Whatever the
    /// address, the caller answers the same; an opt-in mail is queued (a job row, sent by a
    /// worker) only when the address is not subscribed yet and under its limits. False only
    /// when there is no such newsletter.
    pub async fn visitor_signup(
        &self,
        slug: &str,
        email: &Email,
        ip: &str,
        locale: Locale,
    ) -> anyhow::Result<bool> {
        let Some(n) = self.by_slug(slug).await? else {
            return Ok(false);
        };
        if !self
            .limiter
            .allow(&format!("nl-signup-ip:{ip}"), SIGNUPS_PER_IP)
            .await
        {
            tracing::info!("newsletter sign-up refused by the per-IP limit");
            return Ok(true);
        }
        let now = self.now_ms();
        // A member's address keeps the member's one subscriber row (never two copies).
        let sub = match self.store.user_pk_by_email(email.as_str()).await? {
            Some(user_pk) => self.store.subscriber_for_user(user_pk, now).await?,
            None => {
                self.store
                    .subscriber_for_email(email.as_str(), None, None, now)
                    .await?
                    .0
            }
        };
        // The link itself is made by the job; until then no link works.
        let placeholder = tokens::hash(&tokens::random_token());
        let expires = now + CONFIRM_DAYS * 86_400_000;
        let pending = self
            .store
            .subscription_pending(n.pk, sub, &placeholder, expires, now)
            .await?;
        if !pending {
            return Ok(true);
        }
        if !self
            .limiter
            .allow(&format!("nl-signup-addr:{email}"), SIGNUPS_PER_ADDRESS)
            .await
        {
            tracing::info!("newsletter opt-in mail suppressed by the per-address limit");
            return Ok(true);
        }
        self.queue_optin(&OptIn {
            newsletter: n.pk,
            subscriber: sub,
            locale: locale.as_str().to_string(),
        })
        .await?;
        Ok(true)
    }

    /// The newsletter of a live opt-in link (the GET page), without confirming.
    pub async fn confirm_target(&self, secret: &str) -> anyhow::Result<Option<Newsletter>> {
        match self
            .store
            .pending_newsletter(&tokens::hash(secret), self.now_ms())
            .await?
        {
            Some(pk) => self.newsletter_by_pk(pk).await,
            None => Ok(None),
        }
    }

    /// Confirms an opt-in link (the POST); the newsletter when the link was live.
    pub async fn confirm(&self, secret: &str) -> anyhow::Result<Option<Newsletter>> {
        match self
            .store
            .subscription_confirm(&tokens::hash(secret), self.now_ms())
            .await?
        {
            Some(pk) => self.newsletter_by_pk(pk).await,
            None => Ok(None),
        }
    }

    async fn newsletter_by_pk(&self, pk: i64) -> anyhow::Result<Option<Newsletter>> {
        self.store
            .newsletter(pk)
            .await?
            .map(Newsletter::from_row)
            .transpose()
    }

    /// The newsletter a one-click token is for (the GET page); None for a tampered token.
    pub async fn unsubscribe_target(&self, token: &str) -> anyhow::Result<Option<Newsletter>> {
        let Some(pk) = self.verify_unsubscribe(token) else {
            return Ok(None);
        };
        match self.store.subscription(pk).await? {
            Some(s) => self.newsletter_by_pk(s.newsletter_pk).await,
            None => Ok(None),
        }
    }

    /// Ends the one subscription a genuine token names (the POST, no cookie needed).
    pub async fn unsubscribe(&self, token: &str) -> anyhow::Result<Option<Newsletter>> {
        let Some(pk) = self.verify_unsubscribe(token) else {
            return Ok(None);
        };
        let Some(s) = self.store.subscription(pk).await? else {
            return Ok(None);
        };
        self.store.subscription_end(pk, self.now_ms()).await?;
        self.newsletter_by_pk(s.newsletter_pk).await
    }
}
