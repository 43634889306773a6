# The page frame (header, footer, switcher), errors, sections, dates and times.

site-name = sahifa
site-tagline = Latest news
page-title = { $page } — sahifa
skip-to-content = Skip to content
footer-text = sahifa — an open-source Arabic news platform.
nav-sections = Sections
header-search-label = Search the news
header-search-placeholder = Search the news…
header-search-button = Search
lang-switch = العربية
lang-switch-label = Read the site in Arabic
menu-label = Your account
menu-signin = Sign in
menu-signup = Create account
menu-account = My account
menu-desk = Newsroom desk
menu-admin = Members
menu-signout = Sign out
pages-label = Pages
feed-latest = Latest news
feed-of = { $name } — sahifa
feed-description = The latest news published on sahifa.

error-404-heading = Page not found
error-404-message = We could not find what you were looking for. The page may have moved or been deleted.
error-400-heading = Bad request
error-400-message = The request could not be understood.
error-401-heading = Not signed in
error-401-message = Sign in to continue.
error-403-heading = Not allowed
error-403-message = You do not have access to this page.
error-410-heading = Article no longer available
error-410-message = This article was removed by its source.
error-429-heading = Too many requests
error-429-message = You sent many requests in a short time. Try again in a moment.
error-405-heading = Not allowed this way
error-405-message = This address does not accept this kind of request.
error-408-heading = Request timed out
error-408-message = The request took too long. Try again.
error-413-heading = Too large
error-413-message = What you sent is too large.
error-415-heading = Unsupported format
error-415-message = What you sent is not in a format this address accepts.
error-503-heading = Busy
error-503-message = The server is busy right now. Try again in a few seconds.
error-500-heading = Something went wrong
error-500-message = An unexpected error happened on our side. Try again in a moment.
error-back-home = Back to the front page

section-culture = Culture
section-economy = Economy
section-internationalNews = World
section-middleEast = Middle East
section-sport = Sport
section-technology = Technology
section-none = Unclassified

month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
hijri-month-1 = Muharram
hijri-month-2 = Safar
hijri-month-3 = Rabi al-Awwal
hijri-month-4 = Rabi al-Akhir
hijri-month-5 = Jumada al-Ula
hijri-month-6 = Jumada al-Akhirah
hijri-month-7 = Rajab
hijri-month-8 = Shaban
hijri-month-9 = Ramadan
hijri-month-10 = Shawwal
hijri-month-11 = Dhu al-Qadah
hijri-month-12 = Dhu al-Hijjah
date-gregorian = { $day } { $month } { $year }
date-hijri = { $day } { $month } { $year } AH

time-now = just now
time-minutes-ago = { $n ->
    [one] a minute ago
   *[other] { $n } minutes ago
}
time-hours-ago = { $n ->
    [one] an hour ago
   *[other] { $n } hours ago
}
time-days-ago = { $n ->
    [one] yesterday
   *[other] { $n } days ago
}
