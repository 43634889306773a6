# Reader pages: home, section and tag lists, article, search.

home-title = صحيفة — آخر الأخبار
home-latest = آخر الأخبار
home-empty-heading = لا توجد أخبار بعد
home-empty-import = استورد مقالات بالأمر
home-empty-or = أو شغّل

list-empty = لا توجد مقالات هنا بعد.
pager-newer = → الأحدث
pager-older = الأقدم ←

article-source = المصدر:
article-topics = الموضوعات
article-hijri-label = التاريخ الهجري
member-box-heading = لم تشترك بعد؟
member-box-text = أنشئ حساباً خاصاً بك لتحصل على أخبار مخصصة لك، وتحفظ المقالات لتقرأها لاحقاً، وتتلقى نشراتنا البريدية المتنوعة.
member-box-button = أنشئ حسابك مجاناً
member-box-signin = لديك حساب؟
member-box-signin-link = سجّل الدخول

search-heading = بحث
search-title-q = بحث: { $q }
search-words = كلمات البحث
search-section = القسم
search-all-sections = كل الأقسام
search-source = المصدر
search-from = من
search-to = إلى
search-date-format = (سنة-شهر-يوم)
search-sort = الترتيب
search-sort-relevance = الأكثر صلة
search-sort-date = الأحدث
search-submit = ابحث
search-hint = ضع العبارة بين علامتي تنصيص للبحث عنها كما هي، واكتب ‎-⁠كلمة‎ لاستبعاد كلمة.
search-results = { $n ->
    [zero] لا نتائج
    [one] نتيجة واحدة
    [two] نتيجتان
    [few] { $n } نتائج
    [many] { $n } نتيجة
   *[other] { $n } نتيجة
}
search-results-at-least = { $n ->
    [few] { $n } نتائج أو أكثر
   *[other] { $n } نتيجة أو أكثر
}
search-relaxed = لم نجد العبارة كما كُتبت بين علامتي التنصيص؛ هذه نتائج تحوي كلماتها.
search-none = لا نتائج. جرّب كلمات أخرى.
search-prev = → السابق
search-next = التالي ←
search-bad-date = «{ $param }»: اكتب التاريخ بالشكل سنة-شهر-يوم، مثل 2026-11-29.
search-bad-section = «{ $param }»: لا يوجد قسم بهذا الاسم.
search-bad-sort = «{ $param }»: الترتيب إما الأكثر صلة أو الأحدث.
search-bad-number = «{ $param }»: اكتب عدداً صحيحاً موجباً.
