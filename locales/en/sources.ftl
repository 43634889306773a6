# The feed sources admin page (/admin/sources).

sources-title = Sources — sahifa
sources-heading = Sources
sources-name = Name
sources-url = Feed URL
sources-every = Every
sources-section = Section
sources-full-content = Full text from each entry's page
sources-add = Add source
sources-col-source = Source
sources-col-status = Last status
sources-col-error = Last error
sources-col-next = Next check
sources-col-week = Articles this week
sources-col-all = All articles
sources-never-checked = not checked yet
sources-failures = { $n ->
    [one] (one failure)
   *[other] ({ $n } failures in a row)
}
sources-poll-now = Check now
sources-keep-articles = Keep the articles
sources-remove = Remove
