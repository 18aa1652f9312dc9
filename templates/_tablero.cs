<?cs # _tablero.cs: the dashboard's figures (week calendar, tiles, last meetings, guests), rendered alone by
   tablero.c and kept in its per-user cache, then placed in tablero.cs with uvar: (escaped here, by var:, like
   any page). Only Lang.*, Cal.*, Tiles.*, Last.*, Guests.* and User.zone: nothing of one request (no Req.*,
   no CSRF token, no account data), since the same HTML is shown for a minute. ?><section class="card" aria-labelledby="cal-h">
<h2 id="cal-h"><?cs var:Lang.stats.calendar ?>: <?cs var:Cal.from ?> – <?cs var:Cal.to ?></h2>
<nav class="calnav" aria-label="<?cs var:Lang.stats.calendar ?>">
<a href="/tablero?semana=<?cs var:url_escape(Cal.prev_month) ?>">« <?cs var:Lang.stats.prev_month ?></a>
<a href="/tablero?semana=<?cs var:url_escape(Cal.prev) ?>">‹ <?cs var:Lang.stats.prev_week ?></a>
<?cs if:!Cal.this_week ?><a href="/tablero"><?cs var:Lang.stats.today ?></a><?cs /if ?>
<a href="/tablero?semana=<?cs var:url_escape(Cal.next) ?>"><?cs var:Lang.stats.next_week ?> ›</a>
<a href="/tablero?semana=<?cs var:url_escape(Cal.next_month) ?>"><?cs var:Lang.stats.next_month ?> »</a>
</nav>
<ol class="week">
<?cs each:d = Cal.days ?><li<?cs if:d.today ?> class="today" aria-current="date"<?cs /if ?>><span class="day"><?cs var:d.name ?> <?cs var:d.date ?><?cs if:d.today ?> · <?cs var:Lang.stats.today ?><?cs /if ?></span>
<?cs if:subcount(d.m) == 0 ?><span class="hint">—</span><?cs else ?><ul><?cs each:m = d.m ?><li><a href="/reuniones/<?cs var:m.id ?>"><?cs var:m.time ?> <?cs var:m.name ?></a><?cs if:m.own != "t" ?> <span class="hint"><?cs var:Lang.stats.invited ?></span><?cs /if ?></li><?cs /each ?></ul><?cs /if ?></li>
<?cs /each ?></ol>
<p class="hint"><?cs var:Lang.meeting.list.times_in ?> <?cs var:User.zone ?></p>
</section>
<section class="card" aria-labelledby="tiles-h">
<h2 id="tiles-h"><?cs var:Lang.stats.my_stats ?></h2>
<dl class="tiles">
<div><dt><?cs var:Lang.stats.sessions ?></dt><dd id="t-sessions"><?cs var:Tiles.sessions ?></dd></div>
<div><dt><?cs var:Lang.stats.avg_real ?></dt><dd id="t-avg-real"><?cs var:Tiles.avg_real ?></dd></div>
<div><dt><?cs var:Lang.stats.avg_sched ?></dt><dd id="t-avg-sched"><?cs var:Tiles.avg_sched ?></dd></div>
<div><dt><?cs var:Lang.stats.total ?></dt><dd id="t-total"><?cs var:Tiles.total ?></dd></div>
</dl>
<p><a href="/perfil"><?cs var:Lang.stats.more ?></a></p>
</section>
<section class="card" aria-labelledby="last-h">
<h2 id="last-h"><?cs var:Lang.stats.last ?></h2>
<?cs if:subcount(Last) == 0 ?><p><?cs var:Lang.stats.no_meetings ?></p><?cs else ?>
<div class="scroll"><table>
<thead><tr><th scope="col"><?cs var:Lang.stats.meeting ?></th><th scope="col"><?cs var:Lang.stats.date ?></th><th scope="col"><?cs var:Lang.stats.duration ?></th><th scope="col"><?cs var:Lang.stats.role ?></th></tr></thead>
<tbody><?cs each:m = Last ?><tr><td><a href="/reuniones/<?cs var:m.id ?>"><?cs var:m.name ?></a></td><td><?cs var:m.start ?></td><td><?cs var:m.real ?></td><td><?cs if:m.own == "t" ?><?cs var:Lang.stats.owner ?><?cs else ?><?cs var:Lang.stats.invited ?><?cs /if ?><?cs if:m.attended != "t" ?> · <?cs var:Lang.stats.not_attended ?><?cs /if ?></td></tr>
<?cs /each ?></tbody></table></div><?cs /if ?>
</section>
<section class="card" aria-labelledby="guests-h">
<h2 id="guests-h"><?cs var:Lang.stats.guests ?></h2>
<?cs if:subcount(Guests) == 0 ?><p><?cs var:Lang.stats.no_guests ?></p><?cs else ?>
<ul class="meetings"><?cs each:g = Guests ?><li><?cs if:g.name ?><?cs var:g.name ?><?cs else ?>—<?cs /if ?><?cs if:g.email ?> <span class="hint"><?cs var:g.email ?></span><?cs /if ?><span class="when"><?cs if:g.external == "t" ?><?cs var:Lang.stats.external ?> · <?cs /if ?><?cs var:g.meetings ?> <?cs var:Lang.stats.n_meetings ?></span></li>
<?cs /each ?></ul><?cs /if ?>
</section>
