<?cs # perfil.cs: Mi perfil: statistics by period (charts, each with its table), preferences, export. ?><?cs include:"_head.cs" ?>
<h1><?cs var:Lang.profile.title ?></h1>
<?cs if:Page.saved ?><p role="status"><?cs var:Lang.profile.saved ?></p><?cs /if ?>
<nav class="tabs" aria-label="<?cs var:Lang.profile.group ?>">
<?cs each:v = Lang.profile.by ?><a href="/perfil?por=<?cs name:v ?>"<?cs if:Page.by == name(v) ?> aria-current="page"<?cs /if ?>><?cs var:v ?></a> <?cs /each ?>
</nav>
<section class="card" aria-labelledby="att-h">
<h2 id="att-h"><?cs var:Lang.profile.ch_att ?></h2>
<?cs uvar:Chart.att ?>
<p class="hint"><?cs var:Lang.profile.pending_note ?></p>
<div class="scroll"><table id="tab-att">
<thead><tr><th scope="col"><?cs var:Lang.profile.period ?></th><th scope="col"><?cs var:Lang.profile.attended ?></th><th scope="col"><?cs var:Lang.profile.missed ?></th><th scope="col"><?cs var:Lang.profile.pending ?></th><th scope="col"><?cs var:Lang.profile.organised ?></th><th scope="col"><?cs var:Lang.profile.invited ?></th></tr></thead>
<tbody><?cs each:x = Rows ?><tr><th scope="row"><?cs var:x.label ?></th><td><?cs var:x.attended ?></td><td><?cs var:x.missed ?></td><td><?cs var:x.pending ?></td><td><?cs var:x.organised ?></td><td><?cs var:x.invited ?></td></tr>
<?cs /each ?></tbody></table></div>
</section>
<section class="card" aria-labelledby="dur-h">
<h2 id="dur-h"><?cs var:Lang.profile.ch_dur ?></h2>
<?cs uvar:Chart.dur ?>
<?cs uvar:Chart.hours ?>
<div class="scroll"><table id="tab-dur">
<thead><tr><th scope="col"><?cs var:Lang.profile.period ?></th><th scope="col"><?cs var:Lang.profile.real ?></th><th scope="col"><?cs var:Lang.profile.sched ?></th><th scope="col"><?cs var:Lang.profile.hours ?></th></tr></thead>
<tbody><?cs each:x = Rows ?><tr><th scope="row"><?cs var:x.label ?></th><td><?cs var:x.avg_real ?></td><td><?cs var:x.avg_sched ?></td><td><?cs var:x.hours ?></td></tr>
<?cs /each ?></tbody></table></div>
</section>
<section class="card" aria-labelledby="org-h">
<h2 id="org-h"><?cs var:Lang.profile.ch_org ?></h2>
<?cs uvar:Chart.org ?>
<p class="hint"><?cs var:Lang.profile.org_note ?></p>
</section>
<section class="card" aria-labelledby="exp-h">
<h2 id="exp-h"><?cs var:Lang.profile.export ?></h2>
<p><a class="btn" href="/perfil/datos.csv"><?cs var:Lang.profile.csv ?></a></p>
<p><a href="/calendario"><?cs var:Lang.profile.calendar ?></a></p>
</section>
<section class="card" aria-labelledby="pref-h">
<h2 id="pref-h"><?cs var:Lang.profile.prefs ?></h2>
<?cs if:Form.error ?><p class="error" role="alert"><?cs var:Form.error ?></p><?cs /if ?>
<form method="post" action="/perfil">
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>">
<p><label for="zona"><?cs var:Lang.profile.zone ?></label><select id="zona" name="zona"><?cs each:z = TZ ?><option<?cs if:z.selected ?> selected<?cs /if ?>><?cs var:z.name ?></option><?cs /each ?></select></p>
<p><label for="idioma"><?cs var:Lang.profile.lang ?></label><select id="idioma" name="idioma"><option value="es"<?cs if:User.lang == "es" ?> selected<?cs /if ?>>Español</option><option value="en"<?cs if:User.lang == "en" ?> selected<?cs /if ?>>English</option></select></p>
<p><button type="submit"><?cs var:Lang.profile.save ?></button></p>
</form>
</section>
<?cs include:"_foot.cs" ?>
