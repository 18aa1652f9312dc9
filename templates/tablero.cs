<?cs # tablero.cs: the employee's dashboard: their data, quick actions, and the figures (_tablero.cs, rendered by tablero.c and kept per user). ?><?cs include:"_head.cs" ?>
<h1><?cs var:Lang.dashboard.heading ?>, <?cs var:User.name ?></h1>
<div class="actions quick">
<form class="inline" method="post" action="/reuniones/nueva"><input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>"><input type="hidden" name="tipo" value="instantanea"><button type="submit"><?cs var:Lang.stats.instant ?></button></form>
<a class="btn" href="/reuniones/nueva"><?cs var:Lang.stats.schedule ?></a>
<a class="btn" href="/sala"><?cs var:Lang.stats.my_room ?></a>
<a href="/reuniones"><?cs var:Lang.meeting.list.heading ?></a> · <a href="/perfil"><?cs var:Lang.stats.profile ?></a>
</div>
<?cs uvar:Dash.figures ?><section class="card" aria-labelledby="me-h">
<h2 id="me-h"><?cs var:Lang.dashboard.my_data ?></h2>
<dl class="facts">
<dt><?cs var:Lang.dashboard.name ?></dt><dd><?cs var:User.name ?></dd>
<dt><?cs var:Lang.dashboard.employee_no ?></dt><dd><?cs if:User.employee_no ?><?cs var:User.employee_no ?><?cs else ?><?cs var:Lang.dashboard.not_in_directory ?><?cs /if ?></dd>
<dt>RFC</dt><dd><?cs var:User.rfc ?></dd>
<dt><?cs var:Lang.dashboard.email ?></dt><dd><?cs if:User.email ?><?cs var:User.email ?><?cs else ?>—<?cs /if ?></dd>
<dt><?cs var:Lang.dashboard.unit ?></dt><dd><?cs if:User.unit ?><?cs var:User.unit ?><?cs else ?>—<?cs /if ?></dd>
</dl>
</section>
<?cs if:User.role == "admin" ?><p><a href="/admin/cuentas"><?cs var:Lang.admin.accounts.title ?></a></p><?cs /if ?>
<?cs include:"_foot.cs" ?>
