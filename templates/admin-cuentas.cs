<?cs # admin-cuentas.cs: accounts by state, with approve / disable and the signed cartas. ?><?cs include:"_head.cs" ?>
<h1><?cs var:Lang.admin.accounts.title ?></h1>
<nav class="tabs" aria-label="<?cs var:Lang.admin.accounts.states ?>">
<?cs each:s = Lang.admin.accounts.state ?><a href="/admin/cuentas?estado=<?cs name:s ?>"<?cs if:Page.state == name(s) ?> aria-current="page"<?cs /if ?>><?cs var:s ?></a> <?cs /each ?>
</nav>
<?cs if:subcount(Rows) == 0 ?><p><?cs var:Lang.admin.accounts.none ?></p><?cs else ?>
<div class="scroll"><table>
<thead><tr><th><?cs var:Lang.dashboard.name ?></th><th>RFC</th><th><?cs var:Lang.dashboard.employee_no ?></th><th><?cs var:Lang.admin.accounts.created ?></th><th><?cs var:Lang.admin.accounts.carta ?></th><th><?cs var:Lang.admin.accounts.actions ?></th></tr></thead>
<tbody>
<?cs each:u = Rows ?><tr>
<td><?cs var:u.name ?><?cs if:u.role == "admin" ?> (admin)<?cs /if ?></td><td><?cs var:u.rfc ?></td><td><?cs var:u.employee_no ?></td><td><?cs var:u.created ?></td>
<td><?cs if:u.carta ?><a href="/admin/cuentas/carta?id=<?cs var:u.carta ?>&amp;f=p7s">.p7s</a> · <a href="/admin/cuentas/carta?id=<?cs var:u.carta ?>&amp;f=txt"><?cs var:Lang.admin.accounts.text ?></a><?cs else ?>—<?cs /if ?></td>
<td><form method="post" action="/admin/cuentas" class="inline">
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>"><input type="hidden" name="id" value="<?cs var:u.id ?>">
<?cs if:Page.state == "awaiting" ?><button name="accion" value="aprobar"><?cs var:Lang.admin.accounts.approve ?></button> <?cs /if ?>
<?cs if:Page.state == "disabled" ?><button name="accion" value="habilitar"><?cs var:Lang.admin.accounts.enable ?></button><?cs else ?><button name="accion" value="deshabilitar" class="danger"><?cs var:Lang.admin.accounts.disable ?></button><?cs /if ?>
</form></td></tr>
<?cs /each ?></tbody></table></div>
<?cs if:Page.next ?><p><a href="/admin/cuentas?estado=<?cs var:url_escape(Page.state) ?>&amp;desde=<?cs var:Page.next ?>"><?cs var:Lang.admin.accounts.next ?></a></p><?cs /if ?>
<?cs /if ?>
<?cs include:"_foot.cs" ?>
