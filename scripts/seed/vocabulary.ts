// Word lists the runs seed draws ticket questions and replies from. Words are unique across the
// lists, so each word's share of runs is predictable: a question takes 3 words from FILLER
// (≈0.75% of runs each), one PRODUCT (≈3%) and one ISSUE (≈3%).

export const PRODUCTS = [
  'dashboard', 'mobile app', 'api', 'billing portal', 'webhook', 'export', 'import', 'calendar', 'inbox', 'report builder',
  'team space', 'sso login', 'audit log', 'search bar', 'notifications', 'file upload', 'integration', 'analytics page',
  'checkout', 'subscription', 'desktop client', 'browser extension', 'status page', 'admin console', 'workflow editor',
  'invoicing', 'profile settings', 'reset flow', 'two factor setup', 'data sync',
];

export const ISSUES = [
  'keeps crashing', 'is very slow', 'shows an error', 'lost my data', 'charged me twice', 'will not load', 'logs me out',
  'shows the wrong totals', 'sends duplicate emails', 'times out', 'is missing a field', 'rejects my card',
  'does not save changes', 'shows a blank page', 'freezes on start', 'cannot find my account', 'displays old data',
  'refuses the file', 'stopped syncing', 'shows another team', 'has broken links', 'ignores my filters',
  'misses notifications', 'counts users wrong', 'fails at checkout', 'loops on login', 'spams my inbox',
  'hides the button', 'rounds prices wrong', 'drops attachments',
];

export const FILLER = [
  'yesterday', 'morning', 'evening', 'weekend', 'urgent', 'customer', 'colleague', 'manager',
  'invoice', 'receipt', 'refund', 'discount', 'coupon', 'trial', 'upgrade', 'downgrade', 'cancel', 'renewal', 'contract',
  'deadline', 'meeting', 'presentation', 'spreadsheet', 'document', 'folder', 'archive', 'backup', 'restore', 'migration',
  'password', 'username', 'email', 'phone', 'address', 'country', 'currency', 'timezone', 'language', 'keyboard',
  'screen', 'tablet', 'laptop', 'printer', 'router', 'network', 'firewall', 'proxy', 'certificate', 'domain', 'server',
  'database', 'cluster', 'region', 'latency', 'maintenance', 'release', 'version', 'update', 'patch', 'roadmap', 'feedback', 'survey', 'rating', 'review', 'complaint', 'answer', 'ticket', 'escalation',
  'priority', 'severity', 'incident', 'warning', 'alert', 'banner', 'popup', 'tooltip', 'sidebar', 'toolbar', 'menu',
  'checkbox', 'dropdown', 'slider', 'toggle', 'widget', 'chart', 'graph', 'table', 'column', 'row', 'cell',
  'filter', 'sorting', 'pagination', 'scrolling', 'zoom', 'theme', 'font', 'color', 'icon', 'avatar', 'logo', 'image',
  'video', 'audio', 'microphone', 'camera', 'headset', 'speaker', 'bluetooth', 'wifi', 'battery', 'charger', 'cable',
  'adapter', 'warranty', 'shipping', 'delivery', 'package', 'tracking', 'courier', 'warehouse', 'inventory', 'order',
  'cart', 'wishlist', 'voucher', 'gift', 'loyalty', 'points', 'membership', 'seat', 'license', 'quota', 'limit',
  'storage', 'bandwidth', 'traffic', 'visitors', 'signup', 'onboarding', 'tutorial', 'guide', 'manual', 'handbook',
  'policy', 'privacy', 'consent', 'cookie', 'compliance', 'regulation', 'lawyer', 'accountant',
  'auditor', 'payroll', 'salary', 'expense', 'budget', 'forecast', 'quarter', 'fiscal', 'tax', 'vat', 'paperwork',
  'signature', 'stamp', 'approval', 'rejection', 'appeal', 'deposit', 'withdrawal', 'transfer', 'wallet', 'balance',
  'statement', 'overdraft', 'interest', 'loan', 'mortgage', 'insurance', 'claim', 'accident', 'damage', 'repair',
  'replacement', 'technician', 'appointment', 'schedule', 'reminder', 'alarm', 'clock', 'stopwatch', 'timer',
  'holiday', 'vacation', 'sick', 'leave', 'shift', 'overtime', 'roster', 'department', 'office', 'branch',
  'headquarters', 'reception', 'lobby', 'parking', 'badge', 'keycard', 'elevator', 'stairs', 'kitchen', 'coffee',
  'lunch', 'catering', 'event', 'conference', 'webinar', 'workshop', 'training', 'course', 'lesson',
  'teacher', 'student', 'classroom', 'homework', 'grade', 'semester', 'campus', 'library', 'journal', 'article',
  'newsletter', 'blog', 'podcast', 'episode', 'channel', 'playlist', 'subscriber', 'follower', 'mention', 'hashtag',
  'comment', 'reaction', 'emoji', 'sticker', 'message', 'thread', 'forward', 'attachment', 'draft', 'template',
  'footer', 'header', 'margin', 'paragraph', 'heading', 'bullet', 'numbering', 'indent', 'spacing',
  'glitch', 'flicker', 'lag', 'stutter', 'crash', 'hang', 'beep', 'vibration', 'overheating', 'noise', 'smell',
  'sticky', 'loose', 'cracked', 'scratched', 'bent', 'wet', 'dusty', 'faded', 'blurry', 'pixelated', 'distorted',
  'muted', 'echo', 'static', 'dropout', 'reconnect', 'handshake', 'timeout', 'retry', 'queue', 'backlog', 'sprint',
  'standup', 'retro', 'kanban', 'milestone', 'epic', 'story', 'subtask', 'assignee', 'reporter', 'watcher', 'label',
  'component', 'sandbox', 'staging', 'production', 'rollback', 'hotfix', 'changelog', 'announcement', 'giraffe',
  'pelican', 'walrus', 'octopus', 'flamingo', 'hedgehog', 'armadillo', 'platypus', 'narwhal', 'axolotl',
];

export const CATEGORIES = ['billing', 'bug', 'account', 'how-to', 'feature-request', 'outage'];

export const REPLY_OPENERS = [
  'Thanks for reaching out about',
  'Sorry for the trouble with',
  'We looked into',
  'Good news regarding',
  'I escalated the issue with',
];

export const REPLY_ACTIONS = [
  'a fix is rolling out today.',
  'please clear your cache and try again.',
  'we refunded the duplicate charge.',
  'our engineers are on it and will follow up.',
  'this is expected behaviour, see the help center.',
  'your account has been restored.',
];
