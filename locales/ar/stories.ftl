# القصص: قصة واحدة تنشرها مصادر عدة ("التغطية الكاملة").

story-title = التغطية الكاملة: { $title }
story-heading = التغطية الكاملة
story-summary = { $n ->
    [one] نسخة واحدة
    [two] نسختان
    [few] { $n } نسخ
   *[other] { $n } نسخة
} من { $sources ->
    [one] مصدر واحد
    [two] مصدرين
    [few] { $sources } مصادر
   *[other] { $sources } مصدراً
}، الأقدم أولاً
story-first = نُشر أولاً
story-copies-label = نسخ المصادر كلها
story-original = الأصل
story-link = { $n ->
    [one] التغطية الكاملة: نسخة واحدة
    [two] التغطية الكاملة: نسختان من هذه القصة
    [few] التغطية الكاملة: { $n } نسخ من هذه القصة
   *[other] التغطية الكاملة: { $n } نسخة من هذه القصة
}
