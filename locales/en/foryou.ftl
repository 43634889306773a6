# For you: the feed, its reasons, follows, "more / less like this", reading history.

foryou-original = original
foryou-heading = For you
foryou-title = For you — sahifa
foryou-cold = The main stories right now, across sections and sources. Follow a section, a topic or a source and read what interests you: this page learns what you like.
foryou-my-follows = What I follow
foryou-empty = Nothing new here right now.
foryou-next = More →
foryou-more = More like this
foryou-less = Less like this
foryou-less-tag = Less about { $name }
foryou-less-section = Less from { $name }
foryou-less-source = Less from { $name }
foryou-hide-source = Hide { $name }
follow-on = ✓ Following { $name }
follow-off = + Follow { $name }

follows-title = What I follow — sahifa
follows-heading = What I follow
follows-feed-link = Your “For you” page
follows-account-link = My account
follows-none = You follow nothing yet. Follow a section, a topic or a source from its page.
follows-kind-section = section
follows-kind-tag = topic
follows-kind-source = source
follows-unfollow = Unfollow
follows-hidden-heading = Sources you hid
follows-hidden-none = You have hidden no source.
follows-unhide = Show it again
follows-history-heading = Reading history
follows-history-text = Your “For you” page is ordered by what you opened, read and saved, and by what you asked more or less of. None of it is sent anywhere else.
follows-clear = Clear my reading history
follows-cleared = Your reading history is cleared. What you follow stays.
follows-unhidden = The source is back on your page.
account-reading = Reading: what I follow, hidden sources, clearing the history

reason-follow = Because you follow { $name }
reason-read-about = Because you read about { $name }
reason-read-section = Because you read { $name } news
reason-read = Close to what you read
reason-popular = A story many sources carry
reason-fresh-in = New in { $name }
reason-fresh = New
reason-pinned = Editors' pick

foryou-section-culture = Culture
foryou-section-economy = Economy
foryou-section-internationalNews = World
foryou-section-middleEast = Middle East
foryou-section-sport = Sport
foryou-section-technology = Technology

# The desk's pin: an article at the top of every member's For you.
desk-pin-heading = Pin to For you
desk-pin-hours = Hours
desk-pin = Pin for every member
desk-unpin = Unpin
desk-pinned-until = Pinned at the top of every member's For you until { $until }.
desk-not-pinned = Not pinned.
desk-pin-not-published = Only a published article can be pinned.
desk-pin-bad-hours = A pin lasts from 1 to 168 hours.
