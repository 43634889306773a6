# Saved articles: the menu entry, buttons, the saved list, the copy page, removal.

saved-menu = محفوظاتي
saved-save = احفظ
saved-unsave = محفوظ ✓ (إلغاء الحفظ)
saved-with-note = احفظ مع ملاحظة خاصة
saved-your-note = ملاحظتك الخاصة
saved-note-label = ملاحظة (لا يراها غيرك)
saved-note-save = احفظ الملاحظة
saved-save-article = احفظ المقال
saved-my-copy = نسختي المحفوظة
saved-heading = مقالاتي المحفوظة
saved-search-label = ابحث في المحفوظات
saved-section = القسم
saved-all-sections = كل الأقسام
saved-search-button = ابحث
saved-tag-filter = الموضوع:
saved-clear-filter = إزالة التصفية
saved-count = { $n ->
    [zero] لا مقالات محفوظة
    [one] مقال محفوظ واحد
    [two] مقالان محفوظان
    [few] { $n } مقالات محفوظة
    [many] { $n } مقالاً محفوظاً
   *[other] { $n } مقال محفوظ
}
saved-results = { $n ->
    [zero] لا نتائج في محفوظاتك
    [one] نتيجة واحدة في محفوظاتك
    [two] نتيجتان في محفوظاتك
    [few] { $n } نتائج في محفوظاتك
    [many] { $n } نتيجة في محفوظاتك
   *[other] { $n } نتيجة في محفوظاتك
}
saved-export = تصدير:
saved-empty = لم تحفظ مقالات بعد. اضغط «احفظ» على أي مقال لتجده هنا.
saved-no-results = لا نتائج في محفوظاتك.
saved-saved-on = حُفظ
saved-published-on = نُشر
saved-removed = حُذف المقال من مصدره؛ هذه نسختك المحفوظة.
saved-removed-short = حُذف من مصدره
saved-updated = تم تحديث المقال منذ حفظه
saved-refresh = حدّث نسختي
saved-read-live = اقرأ المقال كما هو الآن
saved-live = المقال على الموقع
saved-my-note = ملاحظتي:
saved-private-note = ملاحظة خاصة (لا يراها غيرك)
saved-tags = الموضوعات
saved-remove = إلغاء الحفظ
saved-newer = → الأحدث
saved-older = الأقدم ←
saved-gone-text = حُذف هذا المقال من الموقع.
saved-gone-copy = اقرأ نسختك المحفوظة
saved-bad-action = إجراء غير معروف.
saved-bad-format = الصيغة يجب أن تكون jsonl أو md أو html.
desk-delete = حذف
desk-delete-heading = حذف مقال
desk-delete-text = سيُحذف المقال من الصفحات والبحث والواجهة البرمجية، وسيجيب رابطه بأنه حُذف (410). تبقى النسخ التي حفظها القراء لديهم.
desk-delete-button = احذف المقال نهائياً
desk-delete-cancel = تراجع
