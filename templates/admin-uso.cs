<?cs # admin-uso.cs: session history with filters and keyset pages, and the period's indicators. ?><?cs include:"_head.cs" ?>
<h1><?cs var:Lang.adm.usage.title ?></h1>
<?cs include:"_adm-nav.cs" ?>
<?cs if:Page.error ?><p class="error" role="alert"><?cs var:Page.error ?></p><?cs /if ?>
<form method="get" action="/admin/uso" class="card filters">
<div class="row">
<p><label for="desde"><?cs var:Lang.adm.from ?></label><input type="date" id="desde" name="desde" value="<?cs var:F.desde ?>"></p>
<p><label for="hasta"><?cs var:Lang.adm.to ?></label><input type="date" id="hasta" name="hasta" value="<?cs var:F.hasta ?>"></p>
<p><label for="rfc"><?cs var:Lang.adm.usage.owner ?></label><input type="text" id="rfc" name="rfc" maxlength="13" autocapitalize="characters" value="<?cs var:F.rfc ?>"></p>
<p><label for="unidad"><?cs var:Lang.adm.usage.unit ?></label><select id="unidad" name="unidad"><option value=""><?cs var:Lang.adm.usage.any_unit ?></option>
<?cs each:x = UnitList ?><option value="<?cs var:x.code ?>"<?cs if:F.unidad == x.code ?> selected<?cs /if ?>><?cs var:x.name ?></option><?cs /each ?></select></p>
<p><label for="tamano"><?cs var:Lang.adm.usage.size ?></label><select id="tamano" name="tamano"><option value=""><?cs var:Lang.adm.usage.any_size ?></option>
<option value="chica"<?cs if:F.tamano == "chica" ?> selected<?cs /if ?>><?cs var:Lang.adm.usage.small ?></option>
<option value="mediana"<?cs if:F.tamano == "mediana" ?> selected<?cs /if ?>><?cs var:Lang.adm.usage.medium ?></option>
<option value="grande"<?cs if:F.tamano == "grande" ?> selected<?cs /if ?>><?cs var:Lang.adm.usage.large ?></option></select></p>
</div>
<p><label class="check"><input type="checkbox" name="externos" value="1"<?cs if:F.externos ?> checked<?cs /if ?>> <?cs var:Lang.adm.usage.external ?></label></p>
<p><button type="submit"><?cs var:Lang.adm.usage.filter ?></button><?cs if:Page.query ?> <a class="btn btn-small" href="/admin/uso.csv?<?cs var:Page.query ?>"><?cs var:Lang.adm.usage.csv ?></a><?cs /if ?></p>
</form>
<?cs if:!Page.error ?>
<h2><?cs var:Lang.adm.usage.indicators ?></h2>
<?cs with:s = Sum.0 ?><dl class="facts card" id="indicators">
<dt><?cs var:Lang.adm.sessions ?></dt><dd id="i-sessions"><?cs var:s.sessions ?></dd>
<dt><?cs var:Lang.adm.usage.completed ?></dt><dd id="i-completed"><?cs var:s.completed ?> (<?cs var:s.completed_pct ?> %)</dd>
<dt><?cs var:Lang.adm.usage.with_external ?></dt><dd id="i-external"><?cs var:s.external ?> (<?cs var:s.external_pct ?> %)</dd>
<dt><?cs var:Lang.adm.infra.big ?></dt><dd id="i-big"><?cs var:s.big ?></dd>
<dt><?cs var:Lang.adm.usage.avg_participants ?></dt><dd id="i-avgp"><?cs var:s.avg_participants ?></dd>
<dt><?cs var:Lang.adm.usage.avg_minutes ?></dt><dd id="i-avgm"><?cs var:s.avg_minutes ?></dd>
<dt><?cs var:Lang.adm.usage.hours ?></dt><dd id="i-hours"><?cs var:s.hours ?></dd>
<dt><?cs var:Lang.adm.usage.registered ?></dt><dd id="i-registered"><?cs var:s.registered ?></dd>
<dt><?cs var:Lang.adm.usage.active ?></dt><dd id="i-active"><?cs var:s.active ?></dd>
<dt><?cs var:Lang.adm.usage.longest ?></dt><dd id="i-longest"><?cs if:Longest.0.minutes ?><?cs var:Longest.0.minutes ?> min, <?cs var:Longest.0.start ?><?cs if:Longest.0.meeting ?> — <?cs var:Longest.0.meeting ?><?cs /if ?><?cs else ?>—<?cs /if ?></dd>
<dt><?cs var:Lang.adm.usage.busiest ?></dt><dd id="i-busiest"><?cs if:Busiest.hour ?><?cs var:Lang.recur.days[Busiest.dow] ?> <?cs var:Busiest.hour ?> (<?cs var:Busiest.participants ?>)<?cs else ?>—<?cs /if ?></dd>
</dl><?cs /with ?>
<?cs def:daytable(id, list, label) ?><div class="scroll"><table id="<?cs var:id ?>"><caption><?cs var:label ?></caption>
<thead><tr><th></th><th><?cs var:Lang.adm.sessions ?></th><th><?cs var:Lang.adm.participants ?></th><th>&gt; 20</th><th><?cs var:Lang.adm.usage.externals ?></th></tr></thead>
<tbody><?cs each:d = list ?><tr><th scope="row"><?cs var:d.day ?></th><td><?cs var:d.sessions ?></td><td><?cs var:d.participants ?></td><td><?cs var:d.big ?></td><td><?cs var:d.external ?></td></tr><?cs /each ?></tbody></table></div><?cs /def ?>
<?cs if:subcount(Days) > 0 ?><?cs uvar:Chart.days ?><?cs call:daytable("per-day", Days, Lang.adm.usage.per_day) ?><?cs /if ?>
<?cs if:subcount(Months) > 0 ?><?cs uvar:Chart.months ?><?cs call:daytable("per-month", Months, Lang.adm.usage.per_month) ?><?cs /if ?>
<?cs if:subcount(Units) > 0 ?><div class="scroll"><table id="units"><caption><?cs var:Lang.adm.usage.by_unit ?></caption>
<thead><tr><th><?cs var:Lang.adm.usage.unit ?></th><th><?cs var:Lang.adm.sessions ?></th><th><?cs var:Lang.adm.participants ?></th><th><?cs var:Lang.adm.usage.hours ?></th></tr></thead>
<tbody><?cs each:x = Units ?><tr><td><?cs if:x.unit ?><?cs var:x.unit ?><?cs else ?><?cs var:Lang.adm.usage.no_unit ?><?cs /if ?></td><td><?cs var:x.sessions ?></td><td><?cs var:x.participants ?></td><td><?cs var:x.hours ?></td></tr><?cs /each ?></tbody></table></div><?cs /if ?>
<?cs uvar:Chart.heat ?>
<div class="scroll"><table id="heat" class="heat"><caption><?cs var:Lang.adm.usage.heat ?></caption>
<thead><tr><th><?cs var:Lang.adm.hour ?></th><?cs loop:i = #1, #7, #1 ?><th><?cs var:Lang.recur.days[i] ?></th><?cs /loop ?></tr></thead>
<tbody><?cs each:h = Heat ?><tr><th scope="row"><?cs var:h.hour ?></th><td><?cs var:h.d1 ?></td><td><?cs var:h.d2 ?></td><td><?cs var:h.d3 ?></td><td><?cs var:h.d4 ?></td><td><?cs var:h.d5 ?></td><td><?cs var:h.d6 ?></td><td><?cs var:h.d7 ?></td></tr><?cs /each ?></tbody></table></div>
<p class="hint"><?cs var:Lang.adm.usage.heat_hint ?></p>
<h2><?cs var:Lang.adm.usage.history ?></h2>
<?cs if:subcount(Rows) == 0 ?><p><?cs var:Lang.adm.usage.none ?></p><?cs else ?>
<ul class="meetings" id="history">
<?cs each:s = Rows ?><li id="s<?cs var:s.id ?>"><span class="when"><?cs var:s.start ?><?cs if:s.minutes != "" ?> · <?cs var:s.minutes ?> min<?cs /if ?> · <?cs var:Lang.adm.usage[s.state] ?></span>
<?cs if:s.kind == "meeting" ?><?cs var:s.meeting ?><?cs elif:s.kind == "personal" ?><?cs var:Lang.adm.usage.personal ?><?cs else ?><?cs var:Lang.adm.usage.unknown ?><?cs /if ?><?cs if:s.owner ?> — <?cs var:s.owner ?><?cs /if ?><?cs if:s.unit ?> (<?cs var:s.unit ?>)<?cs /if ?>
<span class="hint"><?cs var:Lang.adm.participants ?>: <?cs var:s.participants ?> · <?cs var:Lang.adm.usage.externals ?>: <?cs var:s.externals ?></span></li>
<?cs /each ?></ul>
<?cs if:Page.next ?><p><a id="next" href="/admin/uso?<?cs var:Page.query ?>&amp;antes=<?cs var:Page.next ?>"><?cs var:Lang.adm.usage.next ?></a></p><?cs /if ?>
<?cs /if ?>
<?cs /if ?>
<?cs include:"_foot.cs" ?>
