# Reader pages: home, section and tag lists, article, search.

home-title = sahifa — latest news
home-latest = Latest news
home-empty-heading = No news yet
home-empty-import = Import articles with
home-empty-or = or run

list-empty = No articles here yet.
pager-newer = ← Newer
pager-older = Older →

article-source = Source:
article-topics = Topics
article-hijri-label = Hijri date
member-box-heading = Not a member yet?
member-box-text = Create your own account to get news personalized for you, save articles to read later, and receive our newsletters.
member-box-button = Create your free account
member-box-signin = Already have an account?
member-box-signin-link = Sign in

search-heading = Search
search-title-q = Search: { $q }
search-words = Search words
search-section = Section
search-all-sections = All sections
search-source = Source
search-from = From
search-to = To
search-date-format = (year-month-day)
search-sort = Order
search-sort-relevance = Most relevant
search-sort-date = Newest
search-submit = Search
search-hint = Put a phrase in quotation marks to find it exactly, and write -word to leave a word out.
search-results = { $n ->
    [zero] No results
    [one] 1 result
   *[other] { $n } results
}
search-results-at-least = { $n ->
    [one] 1 result or more
   *[other] { $n } results or more
}
search-relaxed = The quoted phrase was not found as written; these results contain its words.
search-none = No results. Try other words.
search-prev = ← Previous
search-next = Next →
search-bad-date = “{ $param }”: write the date as year-month-day, such as 2026-11-29.
search-bad-section = “{ $param }”: there is no section of that name.
search-bad-sort = “{ $param }”: the order is either most relevant or newest.
search-bad-number = “{ $param }”: write a whole number, zero or more.
