/**
 * One catalogue of errors: a stable code, an HTTP status and a message per language.
 * Clients branch on `code`; people read `detail` in their own language.
 */
export type Locale = 'zh-CN' | 'en';

interface ErrorDef {
  status: number;
  zh: string;
  en: string;
}

export const ERRORS = {
  'request.invalid': { status: 400, zh: '请求内容有误，请检查后重试。', en: 'The request is invalid.' },
  'request.csrf': {
    status: 403,
    zh: '请求来源不被信任，请刷新页面后重试。',
    en: 'The request came from an untrusted origin. Reload the page and try again.',
  },
  'request.not_found': { status: 404, zh: '请求的地址不存在。', en: 'No such endpoint.' },
  'request.too_large': { status: 413, zh: '提交的内容过大。', en: 'The request is too large.' },
  'request.rate_limited': {
    status: 429,
    zh: '操作过于频繁，请 {seconds} 秒后再试。',
    en: 'Too many attempts. Try again in {seconds} seconds.',
  },
  'auth.required': { status: 401, zh: '请先登录。', en: 'Please log in.' },
  'auth.invalid_credentials': {
    status: 401,
    zh: '手机号或密码不正确。',
    en: 'The phone number or password is incorrect.',
  },
  'auth.locked': {
    status: 423,
    zh: '连续登录失败次数过多，账号已临时锁定，请 {minutes} 分钟后再试或使用短信验证码登录。',
    en: 'Too many failed logins: the account is locked for {minutes} minutes. Try later or log in with an SMS code.',
  },
  'auth.disabled': { status: 403, zh: '该账号已停用，请联系管理员。', en: 'This account is disabled.' },
  'auth.otp_invalid': {
    status: 401,
    zh: '验证码不正确或已过期，请重新获取。',
    en: 'The code is wrong or has expired. Request a new one.',
  },
  'auth.otp_no_account': {
    status: 401,
    zh: '验证码不正确或已过期，请重新获取。',
    en: 'The code is wrong or has expired. Request a new one.',
  },
  'auth.weak_password': {
    status: 400,
    zh: '密码太弱：至少 8 位，且不能是常见密码或手机号。',
    en: 'Password too weak: at least 8 characters, not a common password or the phone number.',
  },
  'auth.wrong_password': { status: 400, zh: '当前密码不正确。', en: 'The current password is incorrect.' },
  'access.forbidden': {
    status: 403,
    zh: '您没有执行此操作的权限。',
    en: 'You are not allowed to do this.',
  },
  'region.not_found': { status: 404, zh: '未找到该行政区划。', en: 'Region not found.' },
  'region.wrong_level': {
    status: 400,
    zh: '小区和网格只能建在社区下。',
    en: 'Compounds and grids belong under a community.',
  },
  'compound.not_found': { status: 404, zh: '未找到该小区。', en: 'Compound not found.' },
  'compound.duplicate': {
    status: 409,
    zh: '本社区已有同名小区“{name}”。',
    en: 'This community already has a compound named “{name}”.',
  },
  'compound.grid_mismatch': {
    status: 400,
    zh: '所选网格不属于该社区。',
    en: 'The chosen grid does not belong to this community.',
  },
  'compound.has_buildings': {
    status: 409,
    zh: '该小区下还有楼栋，不能删除。',
    en: 'The compound still has buildings.',
  },
  'compound.in_use': {
    status: 409,
    zh: '该小区已有居民或工作人员关联，请先解除关联再删除。',
    en: 'People are linked to this compound; remove those links first.',
  },
  'building.has_households': {
    status: 409,
    zh: '该楼栋下还有住户，不能删除。',
    en: 'The building still has households.',
  },
  'building.not_found': { status: 404, zh: '未找到该楼栋。', en: 'Building not found.' },
  'building.duplicate': {
    status: 409,
    zh: '该小区已有楼栋“{name}”。',
    en: 'This compound already has a building named “{name}”.',
  },
  'grid.not_found': { status: 404, zh: '未找到该网格。', en: 'Grid not found.' },
  'grid.duplicate': {
    status: 409,
    zh: '本社区已有同名网格“{name}”。',
    en: 'This community already has a grid named “{name}”.',
  },
  'grid.worker_invalid': {
    status: 400,
    zh: '网格员必须是本网格内持有网格员角色的用户。',
    en: 'The grid worker must hold the grid worker role on this grid.',
  },
  'grid.has_compounds': {
    status: 409,
    zh: '该网格下还有小区，不能删除。',
    en: 'The grid still has compounds.',
  },
  'grid.in_use': {
    status: 409,
    zh: '该网格仍有网格员等人员关联，请先解除关联再删除。',
    en: 'People (such as its grid worker) are linked to this grid; remove those links first.',
  },
  'department.not_found': { status: 404, zh: '未找到该部门。', en: 'Department not found.' },
  'user.not_found': { status: 404, zh: '未找到该用户。', en: 'User not found.' },
  'user.phone_taken': {
    status: 409,
    zh: '手机号 {phone} 已注册。',
    en: 'The phone number {phone} is already registered.',
  },
  'grant.not_found': { status: 404, zh: '未找到该授权。', en: 'Role grant not found.' },
  'grant.node_mismatch': {
    status: 400,
    zh: '角色“{role}”不能授予在该层级上。',
    en: 'The role “{role}” cannot be granted on this kind of node.',
  },
  'grant.exists': { status: 409, zh: '该用户已拥有此授权。', en: 'The user already has this grant.' },
  'grant.beyond_own': {
    status: 403,
    zh: '只能在本人管辖范围内授予低于本人的角色。',
    en: 'You can grant only roles below your own, within your own area.',
  },
  'grant.last_city_admin': {
    status: 409,
    zh: '不能撤销最后一位市级管理员。',
    en: 'The last city administrator cannot be revoked.',
  },
  'ticket.not_found': { status: 404, zh: '未找到该诉求。', en: 'Ticket not found.' },
  'ticket.illegal_move': {
    status: 409,
    zh: '该诉求当前为“{status}”，不能{action}。',
    en: 'The ticket is “{status}”: it cannot {action} now.',
  },
  'ticket.wrong_party': {
    status: 403,
    zh: '“{action}”应由{party}操作。',
    en: 'Only {party} can {action}.',
  },
  'ticket.text_required': {
    status: 400,
    zh: '请填写{field}。',
    en: 'Please give {field}.',
  },
  'ticket.evidence_required': {
    status: 400,
    zh: '办结时请上传至少一张现场照片作为凭证。',
    en: 'Attach at least one photo of the result to resolve it.',
  },
  'ticket.no_departments': {
    status: 400,
    zh: '请选择要吹哨的部门。',
    en: 'Choose the departments to whistle.',
  },
  'ticket.already_whistled': {
    status: 409,
    zh: '所选部门中已有部门正在办理此诉求。',
    en: 'One of these departments is already handling this ticket.',
  },
  'ticket.dispatch_not_found': {
    status: 404,
    zh: '未向该部门吹哨此诉求。',
    en: 'This ticket was not whistled to that department.',
  },
  'ticket.departments_working': {
    status: 409,
    zh: '还有部门在办理，待各部门办结后再办结。',
    en: 'Departments are still working on it; resolve it once they are done.',
  },
  'ticket.bad_rating': { status: 400, zh: '评分应为 1 到 5 分。', en: 'A rating is 1 to 5.' },
  'ticket.place_required': {
    status: 400,
    zh: '请选择小区，或在地图上标出位置。',
    en: 'Choose a compound or mark the place on the map.',
  },
  'ticket.contact_required': {
    status: 400,
    zh: '热线来电请填写来电人电话。',
    en: "Give the caller's phone number for a hotline call.",
  },
  'ticket.item_not_found': {
    status: 404,
    zh: '责任清单中没有该事项。',
    en: 'No such item on the responsibility list.',
  },
  'ticket.item_required': {
    status: 400,
    zh: '请先确定该诉求属于责任清单中的哪一事项。',
    en: 'First classify the ticket under an item of the responsibility list.',
  },
  'ticket.not_on_list': {
    status: 409,
    zh: '“{item}”不属于社区、街道的属地管理事项，不能交由社区或街道自办，请向责任部门吹哨。',
    en: '“{item}” is not a matter for the community or township under the responsibility list: whistle the responsible department.',
  },
  'ticket.same_community': {
    status: 400,
    zh: '该诉求已在这个社区。',
    en: 'The ticket is already in that community.',
  },
  'live.too_many': {
    status: 429,
    zh: '打开的实时页面过多（最多 {max} 个），请关闭不用的页面后刷新。',
    en: 'Too many live pages are open (at most {max}). Close the ones you do not need and reload.',
  },
  'ticket.not_extendable': {
    status: 409,
    zh: '该事项不属于复杂事项，办理时限不能延期。',
    en: 'This matter is not a complex one: its resolve limit cannot be extended.',
  },
  'ticket.extension_once': {
    status: 409,
    zh: '每件诉求只能申请一次延期，本件已申请过。',
    en: 'A ticket may be extended only once, and this one has already been.',
  },
  'ticket.extension_too_late': {
    status: 409,
    zh: '办理时限已过，不能再申请延期，请尽快办结。',
    en: 'The resolve limit has already passed: an extension can no longer be requested.',
  },
  'ticket.no_extension_request': {
    status: 409,
    zh: '该诉求没有待审批的延期申请。',
    en: 'This ticket has no extension request awaiting a decision.',
  },
  'responsibility.version_exists': {
    status: 409,
    zh: '版本号“{version}”已被使用，请换一个新的版本号。',
    en: 'Version “{version}” already exists: choose a new version.',
  },
  'responsibility.invalid': {
    status: 400,
    zh: '责任清单有 {count} 处错误，请逐条修改后再发布。',
    en: 'The responsibility list has {count} problem(s): fix them and publish again.',
  },
  'responsibility.version_not_found': {
    status: 404,
    zh: '没有这个版本的责任清单。',
    en: 'No responsibility list has that version.',
  },
  'ticket.merge_self': { status: 400, zh: '不能与自身合并。', en: 'A ticket cannot be merged into itself.' },
  'ticket.changed': {
    status: 409,
    zh: '该诉求刚被他人处理，请刷新后再试。',
    en: 'Someone else just changed this ticket. Reload and try again.',
  },
  'file.type_not_allowed': {
    status: 415,
    zh: '仅支持 JPEG、PNG、WebP 格式的图片。',
    en: 'Only JPEG, PNG and WebP images are accepted.',
  },
  'file.too_large': {
    status: 413,
    zh: '图片不能超过 10 MB 或 4000 万像素。',
    en: 'An image may be at most 10 MB and 40 megapixels.',
  },
  'file.corrupt': {
    status: 422,
    zh: '图片已损坏或无法识别。',
    en: 'The image is damaged or cannot be read.',
  },
  'file.not_found': { status: 404, zh: '未找到该文件。', en: 'File not found.' },
  'file.too_many': {
    status: 413,
    zh: '一次最多上传 {max} 张图片。',
    en: 'At most {max} images can be uploaded at once.',
  },
  'open311.api_key_missing': {
    status: 403,
    zh: '缺少 api_key，不能提交诉求。',
    en: 'No api_key was given: the service request cannot be created.',
  },
  'open311.api_key_invalid': {
    status: 403,
    zh: 'api_key 无效或已被吊销，不能提交诉求。',
    en: 'The api_key is invalid or revoked: the service request cannot be created.',
  },
  'open311.jurisdiction_required': {
    status: 400,
    zh: '请提供 jurisdiction_id（6 位区县代码）。',
    en: 'jurisdiction_id (a 6-digit county code) was not provided.',
  },
  'open311.jurisdiction_not_found': {
    status: 404,
    zh: '没有代码为“{id}”的区县（jurisdiction_id 应为 6 位区县代码）。',
    en: 'jurisdiction_id “{id}” was not found (it is a 6-digit county code).',
  },
  'open311.jurisdiction_mismatch': {
    status: 403,
    zh: '该 api_key 只能向签发它的区县提交诉求。',
    en: 'This api_key may submit requests only to the jurisdiction it was issued for.',
  },
  'open311.service_code_required': {
    status: 400,
    zh: '请提供 service_code。',
    en: 'service_code was not provided.',
  },
  'open311.service_not_found': {
    status: 404,
    zh: '现行责任清单中没有编号为“{code}”的事项。',
    en: 'service_code “{code}” was not found on the current list.',
  },
  'open311.location_required': {
    status: 400,
    zh: '请提供位置：lat 和 long、address_string 或 address_id 三者之一。',
    en: 'A location is required: lat and long, address_string or address_id.',
  },
  'open311.location_unplaced': {
    status: 400,
    zh: '无法在该区县内确定位置，请提供 address_id（小区编号）或该区县内的坐标。',
    en: 'The location could not be placed in this jurisdiction: give an address_id (compound id) or a point inside it.',
  },
  'open311.address_not_found': {
    status: 400,
    zh: '该区县没有编号为“{id}”的小区（address_id）。',
    en: 'address_id “{id}” is not a compound of this jurisdiction.',
  },
  'open311.invalid_field': {
    status: 400,
    zh: '参数 {field} 的值无效。',
    en: 'The value of {field} is invalid.',
  },
  'open311.bad_date': {
    status: 400,
    zh: '{field} 应为 W3C 日期时间，如 2026-11-01T00:00:00+08:00。',
    en: '{field} must be a W3C datetime such as 2026-11-01T00:00:00+08:00.',
  },
  'open311.date_range': {
    status: 400,
    zh: 'start_date 应早于 end_date，且二者相距不超过 {days} 天。',
    en: 'start_date must come before end_date, at most {days} days apart.',
  },
  'open311.request_not_found': {
    status: 404,
    zh: '没有编号为“{id}”的公开诉求。',
    en: 'No public service request “{id}” was found.',
  },
  'open311.token_not_found': { status: 404, zh: '没有令牌“{token}”。', en: 'Token “{token}” was not found.' },
  'open311.format_not_supported': {
    status: 404,
    zh: '不支持该格式，请使用 .xml 或 .json。',
    en: 'Unsupported format: use .xml or .json.',
  },
  'open311.client_not_found': { status: 404, zh: '未找到该接入系统。', en: 'Client system not found.' },
  'open311.county_not_found': {
    status: 404,
    zh: '没有代码为“{code}”的区县。',
    en: 'No county has the code “{code}”.',
  },
  'member.not_found': { status: 404, zh: '未找到该党员。', en: 'Party member not found.' },
  'member.id_number_invalid': {
    status: 400,
    zh: '身份证号不正确：{problem}。',
    en: 'The ID number is not valid: {problem}.',
  },
  'member.id_number_taken': {
    status: 409,
    zh: '该身份证号已登记为党员{who}，请勿重复录入；如需迁入，请由原所在社区办理组织关系转接。',
    en: 'This ID number is already on the ledger{who}; do not add it twice. To move the member here, the community holding the record transfers it.',
  },
  'member.stale': {
    status: 409,
    zh: '该党员信息刚被他人修改，请刷新后再改。',
    en: 'Someone else has just changed this record. Reload it and make your change again.',
  },
  'member.mobile_required': {
    status: 400,
    zh: '流动党员需填写流出/流入方向、去向或来源地、联系方式和活动证号。',
    en: 'A mobile member needs a direction, the place gone to or come from, a contact and the activity certificate number.',
  },
  'member.same_ledger': {
    status: 400,
    zh: '该党员已在“{ledger}”台账中。',
    en: 'The member is already on the {ledger} ledger.',
  },
  'member.same_status': {
    status: 400,
    zh: '该党员状态已是“{status}”。',
    en: 'The member’s status is already {status}.',
  },
  'member.reason_required': {
    status: 400,
    zh: '改为非建议颜色时请填写原因。',
    en: 'Give a reason when choosing a colour other than the suggested one.',
  },
  'member.place_mismatch': {
    status: 400,
    zh: '所选楼栋、房屋或党组织不属于该小区。',
    en: 'The building, household or organisation chosen is not in that compound.',
  },
  'import.no_file': { status: 400, zh: '请选择要导入的表格文件。', en: 'Choose the spreadsheet to import.' },
  'import.not_xlsx': {
    status: 415,
    zh: '请上传 Excel 表格（.xlsx）；如果是 .xls 或 WPS 格式，请先另存为 .xlsx。',
    en: 'Upload an Excel workbook (.xlsx); save an .xls or WPS file as .xlsx first.',
  },
  'import.too_large': {
    status: 413,
    zh: '表格不能超过 {mb} MB，请分批导入。',
    en: 'The spreadsheet may be at most {mb} MB: import it in parts.',
  },
  'import.not_found': { status: 404, zh: '未找到该导入记录。', en: 'Import not found.' },
  'registration.not_found': { status: 404, zh: '未找到该报到记录。', en: 'Registration not found.' },
  'registration.pending_exists': {
    status: 409,
    zh: '您已有一条报到正在等待社区确认，请耐心等待或先撤回。',
    en: 'You already have a registration waiting for the community: wait for it or withdraw it first.',
  },
  'registration.decided': {
    status: 409,
    zh: '该报到已处理（已确认、未通过或已撤回）。',
    en: 'This registration has already been decided or withdrawn.',
  },
  'unit.not_found': { status: 404, zh: '未找到该共建单位。', en: 'Unit not found.' },
  'unit.already_registered': {
    status: 409,
    zh: '“{name}”已在本社区报到。',
    en: '“{name}” is already registered with this community.',
  },
  'care.not_found': { status: 404, zh: '未找到该包联户。', en: 'Household in care not found.' },
  'care.closed': {
    status: 409,
    zh: '该户已解除包联，不能再修改；如需重新包联，请重新登记。',
    en: 'This household is no longer in care and cannot be changed; mark it again if it needs care.',
  },
  'care.stale': {
    status: 409,
    zh: '该户信息已被他人修改，请刷新后再改。',
    en: 'Someone else changed this household meanwhile: reload it and make your change again.',
  },
  'care.household_taken': {
    status: 409,
    zh: '该房屋已登记为包联户，请在列表中查看。',
    en: 'This household is already marked for care: find it in the list.',
  },
  'pairing.not_found': { status: 404, zh: '未找到该结对记录。', en: 'Pairing not found.' },
  'pairing.exists': {
    status: 409,
    zh: '该党员已与此户结对。',
    en: 'This member is already paired with the household.',
  },
  'pairing.ended': { status: 409, zh: '该结对已解除。', en: 'This pairing has already ended.' },
  'pairing.member_inactive': {
    status: 409,
    zh: '只能安排状态正常的党员结对（已转出、去世或出党的不行）。',
    en: 'Only members in normal standing can be paired (not transferred out, deceased or removed).',
  },
  'pairing.not_paired': {
    status: 400,
    zh: '所选党员未与此户结对，请先结对或选择结对党员。',
    en: 'That member is not paired with this household: pair them first or choose a paired member.',
  },
  'visit.in_future': {
    status: 400,
    zh: '走访日期不能晚于今天。',
    en: 'The visit date cannot be after today.',
  },
  'visit.too_old': {
    status: 400,
    zh: '只能补记一年以内的走访。',
    en: 'Visits can be recorded up to a year after they happened.',
  },
  'points.insufficient': {
    status: 409,
    zh: '积分不足：现有 {balance} 分，需要 {needed} 分。',
    en: 'Not enough points: {balance} available, {needed} needed.',
  },
  'points.key_reused': {
    status: 409,
    zh: '这个请求编号已用于另一笔积分，请刷新后重试。',
    en: 'This request key was already used for a different entry: reload and try again.',
  },
  'points.not_member': {
    status: 403,
    zh: '积分兑换仅限登记在册的党员。',
    en: 'Points are for party members on a community’s ledger.',
  },
  'points.members_only': {
    status: 403,
    zh: '积分申报和积分公示仅对登记在册的党员开放。',
    en: 'Declarations and postings are for party members on a community’s ledger.',
  },
  'points.over_rule_cap': {
    status: 400,
    zh: '单笔“{source}”积分不能超过本县（区）规定的上限 {max} 分。',
    en: 'One entry for {source} may carry at most {max} points under the county’s rules.',
  },
  'declaration.not_found': { status: 404, zh: '未找到该积分申报。', en: 'Declaration not found.' },
  'declaration.not_declarable': {
    status: 400,
    zh: '“{source}”积分不能由本人申报，请联系社区党组织登记。',
    en: 'Points for {source} cannot be declared by members: ask the community’s party workers.',
  },
  'declaration.decided': {
    status: 409,
    zh: '该申报已经审核过了，请刷新后查看结果。',
    en: 'This declaration has already been decided: reload to see the outcome.',
  },
  'declaration.more_than_asked': {
    status: 400,
    zh: '核定积分不能多于申报的 {asked} 分。',
    en: 'At most the {asked} points asked can be approved.',
  },
  'declaration.reason_required': {
    status: 400,
    zh: '核定积分少于申报的 {asked} 分时，请填写理由。',
    en: 'Give a reason when approving fewer than the {asked} points asked.',
  },
  'posting.not_found': { status: 404, zh: '未找到该积分公示。', en: 'Posting not found.' },
  'posting.closed': {
    status: 409,
    zh: '公示期已于 {until} 结束，不再受理异议。',
    en: 'The objection period ended on {until}.',
  },
  'objection.not_found': { status: 404, zh: '未找到该异议。', en: 'Objection not found.' },
  'objection.not_in_posting': {
    status: 400,
    zh: '所选党员不在本期公示名单中。',
    en: 'That member is not on this posting.',
  },
  'objection.exists': {
    status: 409,
    zh: '您对这一项已有待答复的异议，请耐心等待答复。',
    en: 'You already have an objection about this waiting for a reply.',
  },
  'objection.resolved': {
    status: 409,
    zh: '该异议已经答复过了。',
    en: 'This objection has already been answered.',
  },
  'merchant.not_found': { status: 404, zh: '未找到该商家。', en: 'Merchant not found.' },
  'merchant.exists': {
    status: 409,
    zh: '本社区已有商家“{name}”。',
    en: 'The community already has a merchant “{name}”.',
  },
  'offer.not_found': { status: 404, zh: '未找到该优惠。', en: 'Offer not found.' },
  'offer.not_valid': { status: 409, zh: '该优惠不在有效期内。', en: 'This offer is not valid today.' },
  'offer.sold_out': { status: 409, zh: '该优惠已兑完。', en: 'This offer is sold out.' },
  'offer.limit': {
    status: 409,
    zh: '每人限兑 {limit} 张，您已兑满。',
    en: 'At most {limit} per member: you have reached it.',
  },
  'voucher.not_found': {
    status: 404,
    zh: '未找到该兑换券，请核对券码。',
    en: 'Voucher not found: check the code.',
  },
  'voucher.used': {
    status: 409,
    zh: '该兑换券已经核销过，不能重复使用。',
    en: 'This voucher has already been used.',
  },
  'voucher.not_issued': { status: 409, zh: '该兑换券已取消。', en: 'This voucher was cancelled.' },
  'voucher.expired': { status: 409, zh: '该兑换券已过期。', en: 'This voucher has expired.' },
  'offer.ended': {
    status: 409,
    zh: '该优惠已结束，不能再修改。',
    en: 'This offer has ended and can no longer be changed.',
  },
  'offer.stock_short': {
    status: 409,
    zh: '库存只剩 {stock} 份，不能减少 {change} 份。',
    en: 'Only {stock} left: {change} cannot be taken away.',
  },
  'merchant_application.not_found': {
    status: 404,
    zh: '未找到该入驻申请。',
    en: 'Merchant application not found.',
  },
  'merchant_application.decided': {
    status: 409,
    zh: '该入驻申请已处理过了。',
    en: 'This application has already been decided.',
  },
  'merchant_application.pending_exists': {
    status: 409,
    zh: '“{name}”已有入驻申请在审核中，请耐心等待社区处理。',
    en: 'An application for “{name}” is already waiting for the community.',
  },
  'merchant_application.too_many': {
    status: 409,
    zh: '您已有 {max} 份申请在审核中，请等社区处理后再提交。',
    en: 'You already have {max} applications waiting: wait for the community to decide them.',
  },
  'party_org.not_found': { status: 404, zh: '未找到该党组织。', en: 'Party organisation not found.' },
  'party_org.parent_invalid': {
    status: 400,
    zh: '{kind}不能设在所选上级组织之下。',
    en: 'A {kind} cannot sit under the organisation chosen.',
  },
  'party_org.head_exists': {
    status: 409,
    zh: '该社区已有党委或党总支“{name}”。',
    en: 'The community already has a committee or general branch: “{name}”.',
  },
  'party_org.compound_taken': {
    status: 409,
    zh: '小区“{compound}”已由“{org}”覆盖，一个小区只能属于一个支部。',
    en: 'Compound “{compound}” is already covered by “{org}”; a compound belongs to one branch.',
  },
  'party_org.too_few_members': {
    status: 409,
    zh: '支部至少需要 {min} 名正式党员，所覆盖小区目前只有 {count} 名。可与相邻小区联合组建支部。',
    en: 'A branch needs at least {min} full members; the compounds it covers have {count}. Form a joint branch with neighbouring compounds.',
  },
  'party_org.not_active': {
    status: 409,
    zh: '该党组织已合并或撤销，不能再修改。',
    en: 'This organisation has been merged or dissolved and can no longer be changed.',
  },
  'party_org.has_children': {
    status: 409,
    zh: '请先撤销或合并其下属的 {count} 个组织。',
    en: 'Dissolve or merge its {count} subordinate organisations first.',
  },
  'party_org.merge_mismatch': {
    status: 400,
    zh: '只能合并到同一社区、同一类型且仍在运行的组织。',
    en: 'An organisation can only be merged into an active one of the same kind in the same community.',
  },
  'service.post_not_found': { status: 404, zh: '未找到该服务岗位。', en: 'Service post not found.' },
  'service.post_closed': { status: 409, zh: '该服务岗位已关闭。', en: 'This service post is closed.' },
  'service.slot_not_found': { status: 404, zh: '未找到该服务时段。', en: 'Service slot not found.' },
  'service.slot_closed': {
    status: 409,
    zh: '该时段已取消或岗位已关闭，不能认领。',
    en: 'This slot was called off or its post closed.',
  },
  'service.slot_started': {
    status: 409,
    zh: '该时段已经开始，不能再认领或排队。',
    en: 'This slot has already started.',
  },
  'service.claim_not_found': { status: 404, zh: '未找到该认领记录。', en: 'Claim not found.' },
  'service.cancel_too_late': {
    status: 409,
    zh: '开始前 {hours} 小时内不能取消认领，如有急事请联系组织者。',
    en: 'Claims cannot be given back within {hours} hours of the start: contact the organiser.',
  },
  'service.not_member': {
    status: 403,
    zh: '志愿服务认领仅限在册党员，请先完成报到。',
    en: 'Service posts are for party members on a community’s ledger: register first.',
  },
  'service.not_claimed': {
    status: 409,
    zh: '您没有认领这个时段，请联系组织者登记。',
    en: 'You have no place on this slot: ask the organiser to record you.',
  },
  'service.code_invalid': {
    status: 400,
    zh: '签到码无效或已过期，请扫描组织者屏幕上的最新二维码。',
    en: 'The code is invalid or has expired: scan the organiser’s current QR code.',
  },
  'service.not_open_now': {
    status: 409,
    zh: '现在不在签到签退时间内（开始前 {early} 分钟至结束后 {late} 分钟）。',
    en: 'Check-in and check-out are open from {early} minutes before the start to {late} minutes after the end.',
  },
  'service.not_checked_in': { status: 409, zh: '请先签到再签退。', en: 'Check in before checking out.' },
  'service.already_out': { status: 409, zh: '您已签退，无需重复操作。', en: 'You have already checked out.' },
  'service.hour_code_invalid': {
    status: 400,
    zh: '时长码不正确、已被使用或已过期。',
    en: 'This hour code is wrong, used or expired.',
  },
  'service.record_exists': {
    status: 409,
    zh: '该党员在这个时段已有服务记录，请在记录上核定或更正。',
    en: 'This member already has a record for the slot: verify or correct it there.',
  },
  'service.record_not_found': { status: 404, zh: '未找到该服务记录。', en: 'Service record not found.' },
  'service.record_stale': {
    status: 409,
    zh: '该服务记录刚被他人修改，请刷新后再操作。',
    en: 'Someone else changed this record meanwhile: reload it and try again.',
  },
  'service.minutes_over_slot': {
    status: 400,
    zh: '核定时长不能超过时段长度（{max} 分钟）。',
    en: 'Verified time cannot exceed the slot’s length ({max} minutes).',
  },
  'service.on_duty': {
    status: 409,
    zh: '该党员尚未签退，请用“调整”填写实际时长。',
    en: 'The member has not checked out yet: use “adjust” to enter the actual time.',
  },
  'service.ticket_not_found': {
    status: 404,
    zh: '未找到编号为 {number} 的诉求。',
    en: 'No ticket numbered {number}.',
  },
  'service_target.has_reminders': {
    status: 409,
    zh: '已按此目标向党员发送过提醒，不能删除；如需调整，请修改次数和时长。',
    en: 'Members were already reminded under this target: change its figures instead of removing it.',
  },
  'service_reminder.not_found': { status: 404, zh: '未找到该提醒。', en: 'Reminder not found.' },
  'service_certificate.not_found': {
    status: 404,
    zh: '未找到该服务证明，请核对编号。',
    en: 'No service certificate with this number: check it.',
  },
  'service_certificate.bad_number': {
    status: 400,
    zh: '证明编号有误：应为 GZ 加 12 位数字（最后一位是校验码），请核对后重新输入。',
    en: 'That is not a valid certificate number (GZ and 12 digits, the last a check digit): check it.',
  },
  'service_certificate.period': {
    status: 400,
    zh: '证明期间不正确：开始日期不能晚于结束日期，结束日期不能晚于今天（{today}）。',
    en: 'Invalid period: it must start on or before its end, and end no later than today ({today}).',
  },
  'service_certificate.nothing': {
    status: 409,
    zh: '该党员在所选期间没有经核定的志愿服务记录，不能开具证明。',
    en: 'The member has no verified service in that period: there is nothing to certify.',
  },
  'service_certificate.exists': {
    status: 409,
    zh: '该党员这一期间的服务证明已开具（编号 {number}）；如需重开，请先作废原证明。',
    en: 'A certificate for this member and period exists ({number}): revoke it first to issue a new one.',
  },
  'service_certificate.revoked': {
    status: 409,
    zh: '该证明已作废。',
    en: 'This certificate has been revoked.',
  },
  'stats.period_reversed': {
    status: 400,
    zh: '统计期间不正确：结束日期（{to}）早于开始日期（{from}）。',
    en: 'Invalid period: it ends ({to}) before it starts ({from}).',
  },
  'stats.period_too_long': {
    status: 400,
    zh: '统计期间最长 {max} 天，所选期间为 {days} 天，请缩短后再查询。',
    en: 'A period may cover at most {max} days; this one covers {days}. Choose a shorter one.',
  },
  'stats.group_level': {
    status: 400,
    zh: '“{region}”不能按{level}分组：只能按它本级或下级区划分组。',
    en: '“{region}” cannot be split by {level}: only by its own level or a lower one.',
  },
  internal: {
    status: 500,
    zh: '服务器出错了，请稍后再试。',
    en: 'Something went wrong on our side. Please try again.',
  },
  'service.unavailable': {
    status: 503,
    zh: '服务正在启动或关闭，请稍后再试。',
    en: 'The service is starting or stopping. Try again shortly.',
  },
} as const satisfies Record<string, ErrorDef>;

export type ErrorCode = keyof typeof ERRORS;

/** A parameter is plain, or given per language when it is itself a word (e.g. a role's name). */
export type ErrorParams = Record<string, string | number | { zh: string; en: string }>;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly params: ErrorParams = {},
    /** Field-level problems for 400s: [{ path, message }]. */
    readonly errors?: { path: string; message: string }[],
  ) {
    super(code);
    this.status = ERRORS[code].status;
  }
}

export function errorMessage(code: ErrorCode, locale: Locale, params: ErrorParams = {}): string {
  const def = ERRORS[code];
  const en = locale === 'en';
  return (en ? def.en : def.zh).replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k] ?? '';
    return typeof v === 'object' ? (en ? v.en : v.zh) : String(v);
  });
}

/** A query that names a row outside the viewer's scope is told "not found", never "forbidden". */
export function notFound(code: ErrorCode): never {
  throw new AppError(code);
}
