# The page frame (header, footer, switcher), errors, sections, dates and times.

site-name = صحيفة
site-tagline = آخر الأخبار
page-title = { $page } — صحيفة
skip-to-content = تخطَّ إلى المحتوى
footer-text = صحيفة — منصة أخبار عربية مفتوحة المصدر.
nav-sections = الأقسام
header-search-label = ابحث في الأخبار
header-search-placeholder = ابحث في الأخبار…
header-search-button = بحث
lang-switch = English
lang-switch-label = اقرأ الموقع بالإنجليزية
menu-label = حسابك
menu-signin = تسجيل الدخول
menu-signup = إنشاء حساب
menu-account = حسابي
menu-desk = مكتب التحرير
menu-admin = الأعضاء
menu-signout = تسجيل الخروج
pages-label = الصفحات
feed-latest = آخر الأخبار
feed-of = { $name } — صحيفة
feed-description = آخر ما نشرته صحيفة من الأخبار.

error-404-heading = الصفحة غير موجودة
error-404-message = لم نجد ما تبحث عنه. ربما نُقلت الصفحة أو حُذفت.
error-400-heading = طلب غير صالح
error-400-message = تعذّر فهم الطلب.
error-401-heading = لم تسجّل الدخول
error-401-message = سجّل الدخول للمتابعة.
error-403-heading = غير مسموح
error-403-message = لا تملك صلاحية الوصول إلى هذه الصفحة.
error-410-heading = لم يعد المقال متاحاً
error-410-message = أُزيل هذا المقال من مصدره.
error-429-heading = طلبات كثيرة
error-429-message = أرسلت طلبات كثيرة في وقت قصير. حاول بعد قليل.
error-405-heading = طريقة غير مسموحة
error-405-message = هذا العنوان لا يقبل هذا النوع من الطلبات.
error-408-heading = انتهت مهلة الطلب
error-408-message = استغرق الطلب وقتاً طويلاً. حاول مرة أخرى.
error-413-heading = حجم كبير جداً
error-413-message = ما أرسلته أكبر من المسموح.
error-415-heading = صيغة غير مدعومة
error-415-message = ما أرسلته ليس بصيغة يقبلها هذا العنوان.
error-503-heading = الخادم مشغول
error-503-message = الخادم مشغول الآن. حاول مرة أخرى بعد ثوانٍ.
error-500-heading = حدث خطأ
error-500-message = حدث خطأ غير متوقع من جهتنا. حاول مرة أخرى بعد قليل.
error-back-home = العودة إلى الصفحة الرئيسية

section-culture = ثقافة
section-economy = اقتصاد
section-internationalNews = العالم
section-middleEast = الشرق الأوسط
section-sport = رياضة
section-technology = تكنولوجيا
section-none = غير مصنّف

month-1 = يناير
month-2 = فبراير
month-3 = مارس
month-4 = أبريل
month-5 = مايو
month-6 = يونيو
month-7 = يوليو
month-8 = أغسطس
month-9 = سبتمبر
month-10 = أكتوبر
month-11 = نوفمبر
month-12 = ديسمبر
hijri-month-1 = محرم
hijri-month-2 = صفر
hijri-month-3 = ربيع الأول
hijri-month-4 = ربيع الآخر
hijri-month-5 = جمادى الأولى
hijri-month-6 = جمادى الآخرة
hijri-month-7 = رجب
hijri-month-8 = شعبان
hijri-month-9 = رمضان
hijri-month-10 = شوال
hijri-month-11 = ذو القعدة
hijri-month-12 = ذو الحجة
date-gregorian = { $day } { $month } { $year }
date-hijri = { $day } { $month } { $year } هـ

time-now = الآن
time-minutes-ago = { $n ->
    [one] منذ دقيقة
    [two] منذ دقيقتين
    [few] منذ { $n } دقائق
    [many] منذ { $n } دقيقة
   *[other] منذ { $n } دقيقة
}
time-hours-ago = { $n ->
    [one] منذ ساعة
    [two] منذ ساعتين
    [few] منذ { $n } ساعات
    [many] منذ { $n } ساعة
   *[other] منذ { $n } ساعة
}
time-days-ago = { $n ->
    [one] منذ يوم
    [two] منذ يومين
    [few] منذ { $n } أيام
    [many] منذ { $n } يوماً
   *[other] منذ { $n } يوم
}
