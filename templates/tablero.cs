<?cs # tablero.cs: the employee's dashboard. ?><?cs include:"_head.cs" ?>
<h1><?cs var:Lang.dashboard.heading ?>, <?cs var:User.name ?></h1>
<p class="actions"><a class="btn" href="/reuniones/nueva"><?cs var:Lang.meeting.list.new ?></a> <a href="/reuniones"><?cs var:Lang.meeting.list.heading ?></a></p>
<section class="card" aria-labelledby="me-h">
<h2 id="me-h"><?cs var:Lang.dashboard.my_data ?></h2>
<dl class="facts">
<dt><?cs var:Lang.dashboard.name ?></dt><dd><?cs var:User.name ?></dd>
<dt><?cs var:Lang.dashboard.employee_no ?></dt><dd><?cs alt:User.employee_no ?><?cs var:Lang.dashboard.not_in_directory ?><?cs /alt ?></dd>
<dt>RFC</dt><dd><?cs var:User.rfc ?></dd>
<dt><?cs var:Lang.dashboard.email ?></dt><dd><?cs alt:User.email ?>—<?cs /alt ?></dd>
<dt><?cs var:Lang.dashboard.unit ?></dt><dd><?cs alt:User.unit ?>—<?cs /alt ?></dd>
</dl>
</section>
<?cs if:User.role == "admin" ?><p><a href="/admin/cuentas"><?cs var:Lang.admin.accounts.title ?></a></p><?cs /if ?>
<?cs include:"_foot.cs" ?>
