<?cs # reuniones.cs: Mis reuniones, three lists with filters and pages. ?><?cs include:"_head.cs" ?>
<h1><?cs var:Lang.meeting.list.heading ?></h1>
<p><a class="btn" href="/reuniones/nueva"><?cs var:Lang.meeting.list.new ?></a></p>
<nav class="tabs" aria-label="<?cs var:Lang.meeting.list.heading ?>">
<?cs each:v = Lang.meeting.list.views ?><a href="/reuniones?vista=<?cs name:v ?>"<?cs if:Page.view == name(v) ?> aria-current="page"<?cs /if ?>><?cs var:v ?></a> <?cs /each ?>
</nav>
<form method="get" action="/reuniones" class="filters">
<input type="hidden" name="vista" value="<?cs var:Page.view ?>">
<?cs if:Form.error ?><p class="error" role="alert"><?cs var:Form.error ?></p><?cs /if ?>
<p><label for="q"><?cs var:Lang.meeting.list.q ?></label><input id="q" name="q" type="text" maxlength="200" value="<?cs var:Form.q ?>"></p>
<div class="row">
<p><label for="dmin"><?cs var:Lang.meeting.list.dmin ?></label><input id="dmin" name="dmin" type="number" min="0" value="<?cs var:Form.dmin ?>"></p>
<p><label for="dmax"><?cs var:Lang.meeting.list.dmax ?></label><input id="dmax" name="dmax" type="number" min="0" value="<?cs var:Form.dmax ?>"></p>
<p><label for="desde"><?cs var:Lang.meeting.list.from ?></label><input id="desde" name="desde" type="date" value="<?cs var:Form.desde ?>"></p>
<p><label for="hasta"><?cs var:Lang.meeting.list.to ?></label><input id="hasta" name="hasta" type="date" value="<?cs var:Form.hasta ?>"></p>
</div>
<p><button type="submit"><?cs var:Lang.meeting.list.filter ?></button></p>
</form>
<?cs if:subcount(Rows) == 0 ?><p><?cs var:Lang.meeting.list.none ?></p><?cs else ?>
<ul class="meetings">
<?cs each:m = Rows ?><li><a href="/reuniones/<?cs var:m.id ?>"><?cs var:m.name ?></a><?cs if:m.series == "t" ?> <span class="hint"><?cs var:Lang.recur.marker ?></span><?cs /if ?>
<span class="when"><?cs var:m.start ?> · <?cs var:m.minutes ?> min<?cs if:m.status == "cancelled" ?> · <strong><?cs var:Lang.meeting.cancelled ?></strong><?cs /if ?></span>
<?cs if:m.att == "held" ?><span class="att"><?cs var:Lang.attend.real ?>: <?cs var:m.real ?><?cs if:m.live == "t" ?> (<?cs var:Lang.attend.live ?>)<?cs /if ?> · <?cs var:m.people ?> <?cs var:Lang.attend.came ?> (<?cs var:m.members ?> <?cs var:Lang.attend.members ?>, <?cs var:m.guests ?> <?cs var:Lang.attend.guests ?>)</span><?cs elif:m.att == "nobody" && m.status != "cancelled" ?><span class="att"><?cs var:Lang.attend.nobody ?></span><?cs elif:m.att == "nodata" && m.status != "cancelled" ?><span class="att hint"><?cs var:Lang.attend.nodata ?></span><?cs /if ?></li>
<?cs /each ?></ul>
<p class="hint"><?cs var:Lang.meeting.list.times_in ?> <?cs var:Page.zone ?></p>
<?cs if:Page.next ?><p><a href="/reuniones?vista=<?cs var:url_escape(Page.view) ?>&amp;q=<?cs var:url_escape(Form.q) ?>&amp;dmin=<?cs var:url_escape(Form.dmin) ?>&amp;dmax=<?cs var:url_escape(Form.dmax) ?>&amp;desde=<?cs var:url_escape(Form.desde) ?>&amp;hasta=<?cs var:url_escape(Form.hasta) ?>&amp;tras=<?cs var:url_escape(Page.next) ?>"><?cs var:Lang.meeting.list.next ?></a></p><?cs /if ?>
<?cs /if ?>
<?cs include:"_foot.cs" ?>
