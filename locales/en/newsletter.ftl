# Newsletters: the pages (list, archive, editions, opt-in and unsubscribe links, the
# member's newsletters), the mails (editions, the opt-in) and the admin page.

nl-title = Newsletters
nl-page-title = { $name } — Sahifa
nl-none = No newsletters yet.
nl-schedule-daily = Published daily at { $at }, your time
nl-schedule-weekly = Published weekly at { $at }, your time
nl-manage-link = Subscribe or unsubscribe on your newsletters page
nl-email-label = Your e-mail address
nl-subscribe = Subscribe
nl-unsubscribe = Unsubscribe
nl-past-editions = Past editions
nl-no-editions = No edition yet.
nl-archive = Archive
nl-bad-address-heading = Not an address
nl-bad-address = Please type a valid e-mail address.
nl-check-mail-heading = Check your mail
nl-check-mail = If the address is not subscribed yet, a message with a confirmation link is on its way.
nl-dead-link-heading = Invalid link
nl-dead-link = This link is invalid or has expired.
nl-confirm-heading = Confirm your subscription
nl-confirm-message = Press the button to confirm your subscription to “{ $name }”.
nl-confirm-button = Confirm subscription
nl-confirmed-heading = Subscribed
nl-confirmed = Your subscription to “{ $name }” is confirmed. Its next editions will reach you.
nl-unsub-heading = Unsubscribe
nl-unsub-message = Press the button to stop “{ $name }” for this address. Your other newsletters stay as they are.
nl-unsub-done-heading = Unsubscribed
nl-unsub-done = You will not receive “{ $name }” any more.
nl-account-title = My newsletters
nl-account-tz-heading = My time zone
nl-account-tz-intro = Scheduled newsletters arrive on time in your local time.
nl-account-tz-label = Time zone
nl-account-save = Save
nl-account-back = Back to my account
nl-account-bad-tz = “{ $zone }” is not a known time zone; write it like Africa/Cairo.
nl-bounce-alert = We stopped sending newsletters to { $email } because your mail server refused our messages { $n } times. Check or change the address, then subscribe again.
nl-bounce-link = My newsletters

# The mails.
nl-mail-why = You receive this message because you subscribed to “{ $name }”.
nl-mail-unsubscribe = Unsubscribe
nl-mail-manage = Manage my newsletters
nl-mail-archive = Newsletter archive
nl-breaking-subject = Breaking: { $title }
nl-optin-subject = Confirm your subscription to “{ $name }”
nl-optin-intro = Someone, perhaps you, asked to subscribe this address to this newsletter. Press the button to confirm.
nl-optin-outro = If you did not ask for it, ignore this message and we will not write again.
nl-optin-action = Confirm subscription

# The desk and the admin page.
nl-breaking-heading = Breaking news
nl-desk-breaking = Send as breaking news
nl-desk-breaking-sent = { $n ->
    [zero] No breaking-news newsletter left that has not had this story.
    [one] Sent to one breaking-news newsletter.
   *[other] Sent to { $n } breaking-news newsletters.
}
nl-admin-title = Newsletters — administration
nl-admin-none = No newsletters. Add one with the command
nl-admin-subscribers = { $n ->
    [one] one subscriber
   *[other] { $n } subscribers
}
nl-admin-subscribers-chart = { $n ->
    [one] Subscribers over the last day
   *[other] Subscribers over the last { $n } days
}
nl-admin-subscribers-range = Subscribers: from { $from } to { $to }
nl-admin-delivery-chart = Delivery of the latest editions (sent · failed · uncertain · queued)
nl-admin-delivery-label = Delivery figures per edition
nl-admin-bar = Edition { $edition }: { $sent } sent, { $failed } failed, { $uncertain } uncertain, { $queued } queued
nl-admin-edition = Edition
nl-admin-subject = Subject
nl-admin-recipients = Recipients
nl-admin-sent = Sent
nl-admin-failed = Failed
nl-admin-uncertain = Uncertain
nl-admin-queued-col = Queued
nl-admin-intro = Introduction
nl-admin-articles = Articles (source/id, one per line)
nl-admin-send = Send an edition now
nl-admin-queued = { $n ->
    [zero] Edition { $edition } has no recipients.
    [one] Edition { $edition } is queued to one subscriber.
   *[other] Edition { $edition } is queued to { $n } subscribers.
}
