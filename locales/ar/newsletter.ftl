# Newsletters: the pages (list, archive, editions, opt-in and unsubscribe links, the
# member's newsletters), the mails (editions, the opt-in) and the admin page.

nl-title = النشرات البريدية
nl-page-title = { $name } — صحيفة
nl-none = لا توجد نشرات بعد.
nl-schedule-daily = تصدر يومياً الساعة { $at } بتوقيتك
nl-schedule-weekly = تصدر أسبوعياً الساعة { $at } بتوقيتك
nl-manage-link = اشترك أو ألغِ اشتراكك من صفحة نشراتي
nl-email-label = بريدك الإلكتروني
nl-subscribe = اشترك
nl-unsubscribe = إلغاء الاشتراك
nl-past-editions = الأعداد السابقة
nl-no-editions = لم يصدر أي عدد بعد.
nl-archive = الأرشيف
nl-bad-address-heading = عنوان غير صالح
nl-bad-address = اكتب عنوان بريد إلكتروني صحيحاً.
nl-check-mail-heading = تحقّق من بريدك
nl-check-mail = إن لم يكن العنوان مشتركاً بعد فستصله رسالة فيها رابط لتأكيد الاشتراك.
nl-dead-link-heading = رابط غير صالح
nl-dead-link = هذا الرابط غير صالح أو انتهت صلاحيته.
nl-confirm-heading = تأكيد الاشتراك
nl-confirm-message = اضغط الزر لتأكيد اشتراكك في «{ $name }».
nl-confirm-button = تأكيد الاشتراك
nl-confirmed-heading = تم الاشتراك
nl-confirmed = اشتراكك في «{ $name }» مؤكَّد. ستصلك أعدادها القادمة.
nl-unsub-heading = إلغاء الاشتراك
nl-unsub-message = اضغط الزر لإيقاف نشرة «{ $name }» عن هذا العنوان. نشراتك الأخرى تبقى كما هي.
nl-unsub-done-heading = أُلغي الاشتراك
nl-unsub-done = لن تصلك نشرة «{ $name }» بعد الآن.
nl-account-title = نشراتي البريدية
nl-account-tz-heading = منطقتي الزمنية
nl-account-tz-intro = تصلك النشرات المجدولة في موعدها بتوقيتك المحلي.
nl-account-tz-label = المنطقة الزمنية
nl-account-save = حفظ
nl-account-back = العودة إلى حسابي
nl-account-bad-tz = «{ $zone }» ليست منطقة زمنية معروفة؛ اكتبها مثل Africa/Cairo.
nl-bounce-alert = أوقفنا إرسال النشرات إلى { $email } لأن خادم بريدك رفض رسائلنا { $n } مرات. تحقّق من العنوان أو غيّره ثم اشترك من جديد.
nl-bounce-link = نشراتي البريدية

# The mails.
nl-mail-why = تصلك هذه الرسالة لأنك مشترك في نشرة «{ $name }».
nl-mail-unsubscribe = إلغاء الاشتراك
nl-mail-manage = إدارة نشراتي
nl-mail-archive = أرشيف النشرة
nl-breaking-subject = عاجل: { $title }
nl-optin-subject = أكّد اشتراكك في «{ $name }»
nl-optin-intro = طلب أحدهم، وربما أنت، الاشتراك في هذه النشرة بعنوانك. اضغط الزر لتأكيد الاشتراك.
nl-optin-outro = إن لم تطلب ذلك فتجاهل هذه الرسالة ولن نراسلك.
nl-optin-action = تأكيد الاشتراك

# The desk and the admin page.
nl-breaking-heading = خبر عاجل
nl-desk-breaking = أرسل كخبر عاجل
nl-desk-breaking-sent = { $n ->
    [zero] لا توجد نشرة عاجلة لم يُرسل إليها هذا الخبر.
    [one] أُرسل الخبر إلى نشرة عاجلة واحدة.
    [two] أُرسل الخبر إلى نشرتين عاجلتين.
    [few] أُرسل الخبر إلى { $n } نشرات عاجلة.
    [many] أُرسل الخبر إلى { $n } نشرة عاجلة.
   *[other] أُرسل الخبر إلى { $n } نشرة عاجلة.
}
nl-admin-title = النشرات البريدية — الإدارة
nl-admin-none = لا توجد نشرات. أضف واحدة بالأمر
nl-admin-subscribers = { $n ->
    [zero] لا مشتركين
    [one] مشترك واحد
    [two] مشتركان
    [few] { $n } مشتركين
    [many] { $n } مشتركاً
   *[other] { $n } مشترك
}
nl-admin-subscribers-chart = { $n ->
    [one] المشتركون خلال آخر يوم
    [two] المشتركون خلال آخر يومين
    [few] المشتركون خلال آخر { $n } أيام
   *[other] المشتركون خلال آخر { $n } يوماً
}
nl-admin-subscribers-range = المشتركون: من { $from } إلى { $to }
nl-admin-delivery-chart = التسليم في آخر الأعداد (مرسل · فاشل · غير مؤكد · في الطابور)
nl-admin-delivery-label = أرقام التسليم لكل عدد
nl-admin-bar = العدد { $edition }: { $sent } مرسل، { $failed } فاشل، { $uncertain } غير مؤكد، { $queued } في الطابور
nl-admin-edition = العدد
nl-admin-subject = الموضوع
nl-admin-recipients = المستلمون
nl-admin-sent = مرسل
nl-admin-failed = فاشل
nl-admin-uncertain = غير مؤكد
nl-admin-queued-col = في الطابور
nl-admin-intro = المقدمة
nl-admin-articles = المقالات (مصدر/معرّف في كل سطر)
nl-admin-send = أرسل عدداً الآن
nl-admin-queued = { $n ->
    [zero] العدد { $edition } بلا مستلمين.
    [one] العدد { $edition } في الطابور إلى مشترك واحد.
    [two] العدد { $edition } في الطابور إلى مشتركَين.
    [few] العدد { $edition } في الطابور إلى { $n } مشتركين.
   *[other] العدد { $edition } في الطابور إلى { $n } مشتركاً.
}
