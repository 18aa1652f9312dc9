<?cs # admin-infraestructura.cs: bridges per hour or day, weekly availability, high-consumption share. ?><?cs include:"_head.cs" ?>
<h1><?cs var:Lang.adm.infra.title ?></h1>
<?cs include:"_adm-nav.cs" ?>
<?cs if:Page.error ?><p class="error" role="alert"><?cs var:Page.error ?></p><?cs /if ?>
<form method="get" action="/admin/infraestructura" class="card">
<div class="row">
<p><label for="vista"><?cs var:Lang.adm.show ?></label><select id="vista" name="vista">
<option value="dia"<?cs if:F.vista == "dia" ?> selected<?cs /if ?>><?cs var:Lang.adm.infra.daily ?></option>
<option value="hora"<?cs if:F.vista == "hora" ?> selected<?cs /if ?>><?cs var:Lang.adm.infra.hourly ?></option></select></p>
<p><label for="desde"><?cs var:Lang.adm.from ?></label><input type="date" id="desde" name="desde" value="<?cs var:F.desde ?>"></p>
<p><label for="hasta"><?cs var:Lang.adm.to ?></label><input type="date" id="hasta" name="hasta" value="<?cs var:F.hasta ?>"></p>
</div>
<p><button type="submit"><?cs var:Lang.adm.show ?></button></p>
</form>
<?cs if:!Page.error ?>
<h2><?cs var:Lang.adm.live.bridges ?></h2>
<p class="hint"><?cs var:Lang.adm.infra.traffic_hint ?> <?cs var:Lang.adm.live.stress_hint ?></p>
<?cs if:subcount(Rows) == 0 ?><p><?cs var:Lang.adm.none ?></p><?cs else ?>
<?cs uvar:Chart.load ?><?cs uvar:Chart.traffic ?>
<div class="scroll"><table id="platform"><caption><?cs var:Lang.adm.infra.platform ?></caption>
<thead><tr><th><?cs if:F.vista == "hora" ?><?cs var:Lang.adm.hour ?><?cs else ?><?cs var:Lang.adm.day ?><?cs /if ?></th><th><?cs var:Lang.adm.infra.avg_load ?> (%)</th><th><?cs var:Lang.adm.in ?> (Mbit/s)</th><th><?cs var:Lang.adm.out ?> (Mbit/s)</th></tr></thead>
<tbody><?cs each:x = Platform ?><tr><th scope="row"><?cs var:x.period ?></th><td><?cs var:x.load ?></td><td><?cs var:x.in ?></td><td><?cs var:x.out ?></td></tr><?cs /each ?></tbody></table></div>
<h3><?cs var:Lang.adm.infra.per_bridge ?></h3>
<?cs each:b = Bridge ?><details class="bridge"><summary><?cs var:b.name ?></summary><?cs uvar:b.load ?><?cs uvar:b.traffic ?></details>
<?cs /each ?>
<div class="scroll"><table id="bridges">
<thead><tr><th><?cs var:Lang.adm.bridge ?></th><th><?cs if:F.vista == "hora" ?><?cs var:Lang.adm.hour ?><?cs else ?><?cs var:Lang.adm.day ?><?cs /if ?></th><th><?cs var:Lang.adm.infra.avg_load ?></th><th><?cs var:Lang.adm.infra.max_load ?></th><th><?cs var:Lang.adm.infra.avg_in ?></th><th><?cs var:Lang.adm.infra.avg_out ?></th><th><?cs var:Lang.adm.infra.max_in ?></th><th><?cs var:Lang.adm.infra.max_endpoints ?></th></tr></thead>
<tbody><?cs each:x = Rows ?><tr><td><?cs var:x.bridge ?></td><td><?cs var:x.period ?></td><td><?cs var:x.avg_load ?></td><td><?cs var:x.max_load ?></td><td><?cs var:x.avg_in ?></td><td><?cs var:x.avg_out ?></td><td><?cs var:x.max_in ?></td><td><?cs var:x.max_endpoints ?></td></tr>
<?cs /each ?></tbody></table></div><?cs /if ?>
<h2><?cs var:Lang.adm.infra.availability ?></h2>
<p class="hint"><?cs var:Lang.adm.infra.availability_hint ?></p>
<?cs if:subcount(Avail) == 0 ?><p><?cs var:Lang.adm.none ?></p><?cs else ?>
<div class="scroll"><table id="availability">
<thead><tr><th><?cs var:Lang.adm.week ?></th><th><?cs var:Lang.adm.bridge ?></th><th><?cs var:Lang.adm.infra.available ?></th><th><?cs var:Lang.adm.infra.unknown ?></th></tr></thead>
<tbody><?cs each:x = Avail ?><tr><td><?cs var:x.week ?></td><td><?cs var:x.bridge ?></td><td><?cs var:x.pct ?><?cs if:x.pct != "—" ?> %<?cs /if ?></td><td class="unknown"><?cs var:x.unknown ?></td></tr><?cs /each ?></tbody></table></div><?cs /if ?>
<h2><?cs var:Lang.adm.infra.big ?></h2>
<?cs def:bigtable(id, list, label) ?><div class="scroll"><table id="<?cs var:id ?>"><caption><?cs var:label ?></caption>
<thead><tr><th></th><th><?cs var:Lang.adm.sessions ?></th><th>&gt; 20</th><th><?cs var:Lang.adm.infra.big_share ?></th></tr></thead>
<tbody><?cs each:x = list ?><tr><th scope="row"><?cs var:x.period ?></th><td><?cs var:x.sessions ?></td><td><?cs var:x.big ?></td><td><?cs var:x.pct ?> %</td></tr><?cs /each ?></tbody></table></div><?cs /def ?>
<?cs if:subcount(Weeks) + subcount(Months) == 0 ?><p><?cs var:Lang.adm.none ?></p><?cs /if ?>
<?cs if:subcount(Weeks) > 0 ?><?cs uvar:Chart.bigweek ?><?cs call:bigtable("big-week", Weeks, Lang.adm.infra.per_week) ?><?cs /if ?>
<?cs if:subcount(Months) > 0 ?><?cs call:bigtable("big-month", Months, Lang.adm.infra.per_month) ?><?cs /if ?>
<?cs /if ?>
<?cs include:"_foot.cs" ?>
