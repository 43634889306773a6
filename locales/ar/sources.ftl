# صفحة إدارة مصادر الخلاصات (/admin/sources).

sources-title = المصادر — صحيفة
sources-heading = المصادر
sources-name = الاسم
sources-url = رابط الخلاصة
sources-every = كل
sources-section = القسم
sources-full-content = النص الكامل من صفحة كل خبر
sources-add = إضافة مصدر
sources-col-source = المصدر
sources-col-status = آخر حالة
sources-col-error = آخر خطأ
sources-col-next = الفحص التالي
sources-col-week = أخبار هذا الأسبوع
sources-col-all = كل الأخبار
sources-never-checked = لم يُفحص بعد
sources-failures = { $n ->
    [one] (إخفاق واحد)
    [two] (إخفاقان متتاليان)
    [few] ({ $n } إخفاقات متتالية)
   *[other] ({ $n } إخفاقاً متتالياً)
}
sources-poll-now = افحص الآن
sources-keep-articles = أبقِ الأخبار
sources-remove = احذف
