/** Pages over the customers and books APIs, listed in the navigation for those allowed. */
import type { ComponentType } from 'react';
import type { Key } from '../i18n';

export const extraPages: Array<{ path: string; label: Key; permission: string; Component: ComponentType }> = [];
