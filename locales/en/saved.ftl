# Saved articles: the menu entry, buttons, the saved list, the copy page, removal.

saved-menu = Saved articles
saved-save = Save
saved-unsave = Saved ✓ (unsave)
saved-with-note = Save with a private note
saved-your-note = Your private note
saved-note-label = Note (only you can see it)
saved-note-save = Save the note
saved-save-article = Save the article
saved-my-copy = My saved copy
saved-heading = My saved articles
saved-search-label = Search my saved articles
saved-section = Section
saved-all-sections = All sections
saved-search-button = Search
saved-tag-filter = Topic:
saved-clear-filter = Clear the filter
saved-count = { $n ->
    [zero] No saved articles
    [one] One saved article
   *[other] { $n } saved articles
}
saved-results = { $n ->
    [zero] No results in your saved articles
    [one] One result in your saved articles
   *[other] { $n } results in your saved articles
}
saved-export = Export:
saved-empty = You have not saved any article yet. Press “Save” on any article to find it here.
saved-no-results = No results in your saved articles.
saved-saved-on = saved
saved-published-on = published
saved-removed = The article was removed from its source; this is your saved copy.
saved-removed-short = removed from its source
saved-updated = The article was updated since you saved it
saved-refresh = Refresh my copy
saved-read-live = Read the article as it is now
saved-live = The article on the site
saved-my-note = My note:
saved-private-note = Private note (only you can see it)
saved-tags = Topics
saved-remove = Unsave
saved-newer = ← Newer
saved-older = Older →
saved-gone-text = This article was removed from the site.
saved-gone-copy = Read your saved copy
saved-bad-action = Unknown action.
saved-bad-format = The format must be jsonl, md or html.
desk-delete = Delete
desk-delete-heading = Delete an article
desk-delete-text = The article will leave the pages, search and the API, and its address will answer that it was removed (410). Copies readers saved stay with them.
desk-delete-button = Delete the article for good
desk-delete-cancel = Cancel
